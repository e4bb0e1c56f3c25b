// Alles wat de bot in het Nederlands zegt, met Microsofts eigen termen (zie shared/notes/dutch.md).
// Dezelfde sleutels als en.ts: de compiler controleert het.
import type { GraphFacts, Messages } from './en';

type D = Record<string, unknown>;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const list = (v: unknown): string | undefined =>
  Array.isArray(v) && v.length
    ? v.map((x) => (typeof x === 'string' ? x : ((x as { displayName?: string; name?: string })?.displayName ?? (x as { name?: string })?.name ?? String(x)))).join(', ')
    : undefined;
const name = (v: unknown): string | undefined => (v && typeof v === 'object' ? str((v as { displayName?: unknown }).displayName) : str(v));
const errors = (v: unknown): string | undefined =>
  v && typeof v === 'object' && Object.keys(v).length
    ? Object.entries(v as Record<string, unknown>)
        .map(([k, n]) => `${k}: ${String(n)}`)
        .join(', ')
    : undefined;
/** The first `max` items (text before ": " only) and "en nog {n}". */
const few = (v: unknown, max = 8): string | undefined => {
  if (!Array.isArray(v) || !v.length) return undefined;
  const items = v.map((x) => (typeof x === 'string' ? x.split(': ')[0]! : (name(x) ?? String(x))));
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} en nog ${items.length - max}` : shown;
};
/** Namen van licentieplannen zoals in een opdracht: "A" en "B" (meerdere licentieplannen in één wijziging). */
const plansOf = (v: unknown): string | undefined => {
  const xs = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && !!x) : [];
  return xs.length ? (xs.length === 1 ? xs[0] : `${xs.slice(0, -1).join(', ')} en ${xs[xs.length - 1]}`) : undefined;
};
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Graph's error in Dutch, from its HTTP status and code (Graph's own words are English: the log keeps them). */
const graphNl = (e: GraphFacts): string => {
  const code = e.code ? `, ${e.code}` : '';
  if (e.status === 0) return `Microsoft Graph gaf geen antwoord${e.code ? ` (${e.code})` : ''}`;
  if (e.status === 429) return 'Microsoft Graph beperkte het aantal aanvragen (HTTP 429)';
  if (e.status === 401 || e.status === 403) return `Microsoft Graph weigerde de aanvraag: de app heeft er geen toestemming voor (HTTP ${e.status}${code})`;
  if (e.status === 404) return `Microsoft Graph vond het gevraagde object niet (HTTP 404${code})`;
  if (e.status >= 500) return `Microsoft Graph had een storing (HTTP ${e.status}${code})`;
  return `Microsoft Graph weigerde de aanvraag (HTTP ${e.status}${code})`;
};
/** De licenseProcessingState-waarden van Entra in gewone woorden; iets anders blijft zoals het is. */
const PROCESSING: Record<string, string> = {
  QueuedForProcessing: 'in de wachtrij',
  ProcessingInProgress: 'bezig',
  ProcessingComplete: 'klaar',
  ProcessingFailed: 'mislukt',
};
const processing = (raw: string): string => (Object.hasOwn(PROCESSING, raw) ? PROCESSING[raw]! : raw);
/** 12 s, 3 min, 2 uur 5 min. */
const duration = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} uur ${m % 60} min` : `${h} uur`;
};

/** De naam van een land bij de ISO-code ("BE" -> "België"); de code als die onbekend is. */
const region = (code: unknown): string => {
  const c = str(code);
  if (!c) return '';
  try {
    return new Intl.DisplayNames(['nl'], { type: 'region' }).of(c.toUpperCase()) ?? c;
  } catch {
    return c;
  }
};
/** "België (BE)". */
const country = (code: unknown): string => (str(code) ? `${region(code)} (${str(code)!.toUpperCase()})` : '');

export const nl: Messages = {
  lang: 'nl',
  locale: 'nl-NL',

  common: {
    user: 'gebruiker',
    group: 'groep',
    users: (n: number) => plural(n, 'gebruiker', 'gebruikers'),
    members: (n: number) => plural(n, 'lid', 'leden'),
    andMore: (n: number) => `en nog ${n}`,
    none: 'geen',
    yes: 'ja',
    no: 'nee',
    direct: 'rechtstreeks toegewezen',
    inheritedFrom: (group: string) => `overgenomen van een groepslicentie (${group})`,
    seatsFree: (available: number, enabled: number) => `${available} van ${enabled} beschikbaar`,
    nothingChanged: 'Er is niets gewijzigd.',
    processingState: processing,
    duration,
  },

  help: {
    title: 'Plan Switch',
    intro:
      'Ik verplaats een gebruiker of groep van het ene Microsoft 365-licentieplan naar het andere in één gecombineerde wissel, zodat niemand service verliest. Een tweede beheerder keurt elke wijziging goed.',
    commandsTitle: 'Opdrachten',
    commands: [
      ['verplaats groep Verkoop naar E3', 'een groep naar een ander licentieplan'],
      ['verplaats gebruiker anna@contoso.nl van E1 naar E3', 'één gebruiker verplaatsen'],
      ['verplaats Verkoop naar E3', 'ik zoek de naam op (gebruiker of groep)'],
      ['licenties', 'de licentieplannen van de tenant en beschikbare licenties'],
      ['status Verkoop', 'huidige licentietoewijzingen van een gebruiker of groep, of van een aanvraag'],
      ['openstaand', 'aanvragen die op goedkeuring wachten'],
      ['geschiedenis', 'recente wijzigingen'],
      ['ongedaan maken 12', 'een voltooide wijziging terugdraaien'],
      ['verwerk Support opnieuw', 'leden met een licentiefout: Entra probeert het opnieuw, nadat de oorzaak is opgelost'],
      ['splits Teams af voor groep Verkoop', 'een suite naar de "(no Teams)"-versie plus Teams, in één wijziging'],
      ['pauzeer 12', 'een wijziging die in golven loopt, stopt voor de volgende golf (daarna hervat 12, of annuleer 12 voor de rest)'],
      ['nieuw', 'een kaart die u stap voor stap helpt'],
      ['diagnose', 'controleren of deze tenant Plan Switch geeft wat het nodig heeft (alleen lezen)'],
      ['zet de leden van Marketing over op de groep', 'de groep neemt het licentieplan over dat de leden rechtstreeks toegewezen hebben; daarna verdwijnen hun eigen licenties'],
    ],
    dutchHint: 'English works too: move group Sales to E3.',
    startButton: 'Nieuwe wijziging',
    plansButton: 'Licenties',
  },

  refuse: {
    otherTenant: 'Plan Switch werkt alleen voor de eigen organisatie. Activiteiten van een andere tenant worden geweigerd; er is niets gewijzigd.',
    unknownPerson:
      'Sorry, ik kan u niet vinden in de directory van deze organisatie, dus ik kan niet namens u handelen. Vraag uw licentiebeheerder uw account te controleren. Er is niets gewijzigd.',
    noIdentity: 'Ik kan niet zien wie u bent (het bericht heeft geen Entra-object-id), dus ik kan er niets mee. Er is niets gewijzigd.',
    notAllowed: 'U mag dat niet doen. Er is niets gewijzigd.',
    notRequester:
      'Sorry, alleen licentiebeheerders kunnen licentiewijzigingen controleren, aanvragen of terugdraaien, of de status en geschiedenis ervan bekijken. Er is niets gewijzigd. Hebt u een wijziging nodig? Vraag het dan uw licentiebeheerder. "hulp" en "licenties" kan iedereen gebruiken.',
  },

  refusals: {
    unknown: (id: string) => `Er is geen wijzigingsaanvraag ${id}.`,
    not_approver: 'U bent geen goedkeurder voor licentiewijzigingen. Er is niets gewijzigd.',
    not_requester:
      'Sorry, alleen licentiebeheerders kunnen licentiewijzigingen controleren, aanvragen of terugdraaien, of de status en geschiedenis ervan bekijken. Er is niets gewijzigd. Hebt u een wijziging nodig? Vraag het dan uw licentiebeheerder. "hulp" en "licenties" kan iedereen gebruiken.',
    no_approvers: 'Er zijn geen goedkeurders ingesteld (APPROVERS is leeg), dus niemand kan licentiewijzigingen goedkeuren.',
    own_request: 'U hebt deze wijziging zelf aangevraagd, dus iemand anders moet haar goedkeuren. Er is niets gewijzigd.',
    own_request_reject: 'U hebt deze wijziging zelf aangevraagd: annuleer haar in plaats van haar af te wijzen.',
    already_decided: (state: string) => `Over deze aanvraag is al beslist: de status is ${state}. Er is niets gewijzigd.`,
    expired: 'Deze aanvraag is verlopen zonder beslissing; vraag opnieuw aan als het nog nodig is. Er is niets gewijzigd.',
    stale: 'Deze kaart is verouderd: de aanvraag is inmiddels gewijzigd. Hier is de huidige stand. Er is niets gewijzigd.',
    wrong_tenant: 'Deze aanvraag hoort bij een andere organisatie. Er is niets gewijzigd.',
    blocked: 'De controle vooraf vond blokkerende problemen; los die op voordat u goedkeuring aanvraagt. Er is niets gewijzigd.',
    not_allowed: 'Alleen de aanvrager of een goedkeurder kan dat doen. Er is niets gewijzigd.',
    not_undoable: 'Alleen een voltooide wijziging kan ongedaan worden gemaakt.',
    wrong_state: (action: 'pause' | 'resume' | 'cancel', id: string, state: string) =>
      `${
        action === 'pause'
          ? 'Alleen een wijziging die in golven loopt, kan worden gepauzeerd'
          : action === 'resume'
            ? 'Alleen een gepauzeerde wijziging kan worden hervat'
            : 'Alleen een aanvraag die op goedkeuring wacht of een wijziging die in golven loopt, kan worden geannuleerd'
      }: wijzigingsaanvraag ${id} is ${state}. Er is niets gewijzigd.`,
  },

  errors: {
    tooLong: (n: number, max: number) =>
      `Dat bericht is te lang voor een opdracht (${n} tekens; hooguit ${max}). Er is niets gewijzigd. Probeer bijvoorbeeld: verplaats groep Verkoop naar E3.`,
    generic: 'Er ging bij mij iets mis. Er is niets gewijzigd; probeer het zo nog eens.',
    graph: (e: GraphFacts) => `${graphNl(e)}. Er is niets gewijzigd.`,
    graphCause: graphNl,
    unexpected: () => 'een onverwachte fout (de details staan in het logboek)',
    choiceExpired: 'Deze kaart is verlopen (de lijst met personen wordt een dag bewaard). Typ de opdracht opnieuw. Er is niets gewijzigd.',
    badCard: 'Deze kaart is beschadigd of verouderd (de gegevens ontbreken of kloppen niet). Begin opnieuw met "nieuw". Er is niets gewijzigd.',
    unknownVerb: (verb: string) => `Ik ken de kaartactie "${verb}" niet. Er is niets gewijzigd.`,
    malformedInvoke: 'De kaartactie kon niet worden gelezen. Er is niets gewijzigd.',
    staleCard: 'Deze kaart is verouderd: de aanvraag is inmiddels gewijzigd. Hier is de huidige stand. Er is niets gewijzigd.',
    unknownRequest: (id: string) => `Er is geen wijzigingsaanvraag ${id}.`,
    notUnderstood: (text: string) => `Ik begreep "${text}" niet. Typ "help" om te zien wat ik kan.`,
    missingPrincipal: 'Wie moet er verplaatst worden? Bijvoorbeeld: verplaats groep Verkoop naar E3.',
    missingTarget: 'Naar welk licentieplan? Bijvoorbeeld: verplaats groep Verkoop naar E3.',
    missingWaveId: (action: 'pause' | 'resume' | 'cancel') =>
      `Welke wijzigingsaanvraag? Bijvoorbeeld: ${action === 'pause' ? 'pauzeer' : action === 'resume' ? 'hervat' : 'annuleer'} 12. Typ "geschiedenis" om ze te zien.`,
    missingUndo: 'Welke wijziging moet ik ongedaan maken? Bijvoorbeeld: ongedaan maken 12. Typ "geschiedenis" om de wijzigingen te zien.',
    workflowUnavailable: 'Wijzigingsaanvragen zijn nu niet beschikbaar. Er is niets gewijzigd.',
  },

  lookup: {
    planUnknown: (name: string) => `De tenant heeft geen licentieplan "${name}". Dit zijn de licentieplannen:`,
    planAmbiguous: (name: string) => `"${name}" past bij meer dan één licentieplan. Welke bedoelt u?`,
    principalUnknown: (name: string) => `Ik kan geen gebruiker of groep "${name}" vinden.`,
    suggestions: 'Bedoelt u een van deze?',
    noSuggestions: 'Controleer de spelling, of typ een deel van de naam in "nieuw".',
    principalAmbiguous: (name: string) => `Meer dan één gebruiker of groep past bij "${name}". Welke bedoelt u?`,
    sourceNone: (name: string) =>
      `Ik kan niet zien welk licentieplan ${name} moet verlaten: geen van hen heeft er een dat ik kan verplaatsen, of ze staan niet in de directory. Kies het licentieplan dat vervangen moet worden; de controle zegt dan wie niet gevonden is.`,
    sourceAmbiguous: (name: string) => `${name} heeft meer dan één licentieplan. Welk licentieplan moet worden vervangen?`,
    invalidInput: (msg: string) => `Dat kan niet: ${msg}`,
    invalid: {
      unsafeName: (name: string, what: 'user' | 'group', why: 'empty' | 'dot' | 'slash') =>
        `'${name}' kan geen ${what === 'user' ? 'gebruiker' : 'groep'} aanduiden: ${
          why === 'empty'
            ? 'de naam is leeg'
            : why === 'dot'
              ? `"${name}" zou als deel van het URL-pad worden gelezen`
              : 'de naam bevat "/" of "\\", wat als deel van het URL-pad zou worden gelezen'
        }.`,
      usageLocationIds: "De personen van wie de gebruikslocatie moet worden ingesteld, moeten als lijst met gebruikers-id's worden opgegeven.",
      statusOne: 'Status toont één gebruiker of één groep.',
      splitDirection: (direction: string) => `Onbekende richting '${direction}': afsplitsen of samenvoegen.`,
      splitOne: 'Teams afsplitsen werkt voor één gebruiker of één groep.',
      reprocessOne: 'Opnieuw verwerken noemt één groep of één gebruiker.',
      reprocessIds: 'Opnieuw verwerken noemt de gebruikers bij hun id.',
      reprocessNoUsers: 'Dit opnieuw verwerken kan niet worden uitgevoerd: het noemt geen gebruikers.',
      adoptNoUndo:
        'Overzetten op de groep kan niet ongedaan worden gemaakt: de leden houden het licentieplan via de groep. Wilt u iemand weer een eigen licentie geven, wijs die dan rechtstreeks toe; wilt u de groepslicentie beëindigen, wijzig dan de groep.',
      adoptCheckOnly: 'Alleen bij overzetten op de groep worden de leden gecontroleerd voordat hun eigen licenties worden verwijderd.',
      changeMalformed: 'Deze wijziging kan niet worden uitgevoerd: de gegevens ervan zijn onvolledig of beschadigd. Begin opnieuw met de opdracht.',
      noUser: 'Geen gebruiker opgegeven: noem een gebruiker bij UPN (anna@contoso.nl) of object-id.',
      noGroup: 'Geen groep opgegeven: noem een groep bij weergavenaam of object-id.',
      noUsers: 'De lijst met gebruikers is leeg.',
      noPrincipal: 'De wijziging moet een gebruiker, een groep of een lijst met gebruikers noemen.',
      adoptGroupOnly: 'Overzetten werkt op een groep: noem de groep waarvan de leden het licentieplan rechtstreeks toegewezen hebben.',
      noChange: 'Geen wijziging opgegeven.',
      noTarget: "Geen licentieplan opgegeven om naartoe te gaan: zeg naar welk licentieplan ('naar E3').",
      plansNotAList: (list: 'to' | 'from') => `De verdere licentieplannen die ${list === 'to' ? 'erbij komen' : 'weggaan'}, moeten een lijst zijn.`,
      serviceUnknown: (service: string, plan: string, services: string) => `'${service}' is geen serviceplan van ${plan}. De serviceplannen ervan: ${services}.`,
    },
    choose: 'Kiezen',
    // Meerdere licentieplannen in één wijziging (multiplan)
    planRepeated: (plan: string, list: 'to' | 'from') =>
      `${plan} staat twee keer bij de licentieplannen die ${list === 'to' ? 'erbij komen' : 'weggaan'}. Noem elk licentieplan één keer. Er is niets gewijzigd.`,
    planInBoth: (plan: string) => `${plan} staat zowel bij de licentieplannen die weggaan als bij die erbij komen. Noem het maar aan één kant. Er is niets gewijzigd.`,
    tooManyPlans: (max: number) => `Hoogstens ${max} licentieplannen erbij en ${max} weg in één wijziging. Er is niets gewijzigd.`,
    alsoFromWithoutFrom: 'Als er meerdere licentieplannen weggaan, noem dan ook het eerste ("van E1 en Teams Essentials"). Er is niets gewijzigd.',
    from: 'Van',
    to: 'Naar',
  },

  plans: {
    title: 'Licentieplannen in deze tenant',
    column: { plan: 'Licentieplan', free: 'Beschikbaar', total: 'Totaal', used: 'Toegewezen' },
    empty: 'De tenant heeft geen licentieplannen.',
    notAssignable: 'niet toe te wijzen aan gebruikers',
    status: (s: string) => `status ${s}`,
  },

  status: {
    title: (name: string) => `Licentietoewijzingen van ${name}`,
    none: 'Geen licentieplannen.',
    processing: (state: string) => `Licentieverwerking: ${state}`,
    memberCount: (n: number) => plural(n, 'direct lid', 'directe leden'),
    membersInError: (n: number) => `${plural(n, 'lid', 'leden')} met een fout`,
    errorOn: (err: string) => `fout: ${err}`,
    askWhich: 'Status van welke gebruiker, groep of wijziging? Bijvoorbeeld: status Verkoop, of status 12.',
  },

  preflight: {
    title: 'Controle vooraf',
    who: 'Wie',
    from: 'Van',
    to: 'Naar',
    affected: 'Betrokken gebruikers',
    seats: 'Licenties',
    seatsAtCheck: 'Licenties bij de controle',
    seatsNow: 'Licenties na de wijziging',
    seatsValue: (needed: number, available: number) => `${needed} nodig, ${available} beschikbaar`,
    kept: 'Services die blijven',
    lost: 'Services die verdwijnen',
    gained: 'Services die erbij komen',
    upgraded: 'Services in een hogere editie',
    downgraded: 'Services in een lagere editie',
    editionChange: (service: string, from: string, to: string) => `${service}: van ${from} naar ${to}`,
    findingsTitle: 'Bevindingen',
    severity: { block: 'Blokkerend', warn: 'Waarschuwingen', info: 'Goed om te weten' },
    noFindings: 'Geen problemen gevonden.',
    blocked: 'Deze wijziging kan niet worden uitgevoerd totdat de blokkerende bevindingen zijn opgelost.',
    ready: 'Klaar: vraag een tweede beheerder om goedkeuring.',
    readyWithWarnings: (n: number) =>
      `Klaar, met ${plural(n, 'waarschuwing', 'waarschuwingen')} hieronder: lees ${n === 1 ? 'die' : 'ze'} en vraag dan een tweede beheerder om goedkeuring.`,
    requestApproval: 'Goedkeuring aanvragen',
    cancel: 'Annuleren',
    includeDirect: 'Opnieuw, met rechtstreekse kopieën',
    directIncluded: 'Rechtstreeks toegewezen kopieën van het bronlicentieplan bij leden worden in deze wijziging meegenomen.',
    cancelled: 'Geannuleerd. Er is niets gewijzigd.',
    recheck: 'Opnieuw controleren',
    checkAsUsers: (n: number) => (n === 1 ? 'Controleer als gebruiker' : `Controleer deze ${n} als gebruikers`),
    // Adopt (rechtstreekse toewijzingen naar de groep)
    adoptTitle: 'Controle vooraf: leden overzetten op de groep',
    plan: 'Licentieplan',
    ownCopies: 'Eigen licenties te verwijderen',
    seatsUsed: 'Licenties in gebruik',
    seatsUnchanged: 'ongewijzigd: een licentieplan telt één keer per persoon',
    seatsMore: (n: number, available: number) => `${n} meer (${available} beschikbaar)`,
    adoptInstead: 'Leden overzetten op de groep',
    acceptLoss: (n: number) => (n === 1 ? 'Eigen licentie toch verwijderen' : `${n} eigen licenties toch verwijderen`),
    keepOwnCopies: 'Eigen licenties houden',
    adoptHow:
      'De groep krijgt eerst het licentieplan; zodra Entra dat verwerkt heeft, verdwijnen de eigen licenties in golven (eerst 5 mensen, dan 100 tegelijk), elke persoon vlak ervoor gecontroleerd.',
  },

  guide: {
    title: 'Nieuwe wijziging',
    step1: '1. Wie moet er verplaatst worden?',
    pickPlaceholder: 'Zoek een gebruiker of groep',
    typedLabel: 'Of typ een naam, UPN of groepsnaam',
    typedPlaceholder: 'anna@contoso.nl of Verkoop',
    next: 'Volgende',
    step2: (name: string) => `2. Welk licentieplan van ${name} moet worden vervangen?`,
    noCurrentPlans: (name: string) => `${name} heeft geen licentieplannen om van te verplaatsen.`,
    step3: (name: string, from: string) => `3. ${name} verplaatsen van ${from} naar:`,
    check: 'Controleren',
    back: 'Opnieuw beginnen',
    needPrincipal: 'Kies of typ eerst een gebruiker of groep.',
    needSource: 'Kies het licentieplan dat moet worden vervangen.',
    needTarget: 'Kies het nieuwe licentieplan.',
    planChoice: (name: string, available: number) => `${name} (${available} beschikbaar)`,
    // Meerdere licentieplannen in één wijziging (multiplan)
    addAnother: 'Nog een licentieplan toevoegen',
    anotherPlan: (n: number) => `Licentieplan ${n}, in dezelfde wijziging erbij:`,
    anotherPlaceholder: 'Kies een licentieplan (of laat leeg)',
  },

  request: {
    statusTitle: (id: string) => `Wijzigingsaanvraag ${id}`,
    approvalTitle: (id: string) => `Goedkeuring nodig: wijzigingsaanvraag ${id}`,
    requestedBy: 'Aangevraagd door',
    approvedBy: 'Goedgekeurd door',
    rejectedByLabel: 'Afgewezen door',
    cancelledByLabel: 'Geannuleerd door',
    decision: 'Besluit',
    noDecision: (when: string) => `niemand heeft vóór ${when} besloten`,
    reasonFrom: (who: string, reason: string) => `Reden van ${who}: ${reason}`,
    state: 'Status',
    expires: 'Verloopt',
    states: {
      pending: 'wacht op goedkeuring',
      approved: 'goedgekeurd',
      running: 'wordt uitgevoerd',
      completed: 'voltooid',
      failed: 'mislukt',
      partial: 'gedeeltelijk uitgevoerd',
      rejected: 'afgewezen',
      cancelled: 'geannuleerd',
      expired: 'verlopen',
      paused: 'gepauzeerd',
    },
    approve: 'Goedkeuren',
    reject: 'Afwijzen',
    cancelRequest: 'Aanvraag annuleren',
    undo: 'Ongedaan maken',
    refresh: 'Vernieuwen',
    open: 'Openen',
    reasonLabel: 'Reden (optioneel)',
    requested: (id: string) => `Wijzigingsaanvraag ${id} wacht op goedkeuring.`,
    approvedRunning: 'Goedgekeurd — wordt uitgevoerd…',
    rejectedBy: (who: string) => `Afgewezen door ${who}.`,
    reason: (r: string) => `Reden: ${r}`,
    cancelledBy: (who: string) => `Geannuleerd door ${who}. Er is niets gewijzigd.`,
    expiredNote: 'Niemand heeft deze aanvraag op tijd goedgekeurd. Er is niets gewijzigd.',
    youMayDecide: 'U kunt deze wijziging goedkeuren of afwijzen.',
    youCannotApproveOwn: 'U hebt deze wijziging aangevraagd, dus iemand anders moet haar goedkeuren.',
    undoOf: (id: string) => `Maakt wijziging ${id} ongedaan`,
    progress: (state: string, elapsed: string) => `Entra verwerkt de groep: ${state} (${elapsed}).`,
    adoptProgress: (wave: number, waves: number, removed: number, total: number) => `Eigen licenties verwijderen: golf ${wave} van ${waves}, ${removed} van ${total} klaar.`,
    started: 'De wissel wordt uitgevoerd…',
    worsened: 'De situatie is sinds de aanvraag veranderd: de nieuwe controle vond meer problemen, dus er is niets uitgevoerd.',
    /** Eén ding dat de nieuwe controle vóór de uitvoering slechter vond (src/requests/compare.ts). */
    worsenedWhy: {
      change: (who: string, from: string, to: string) => `${who} van ${from} naar ${to}`,
      differentChange: (now: string, approved: string) => `De aanvraag betekent nu een andere wijziging: ${now} (goedgekeurd: ${approved}).`,
      seatsShort: (plan: string, available: number, needed: number) => `Niet genoeg licenties meer voor ${plan}: ${available} beschikbaar, ${needed} nodig.`,
      seatsShortThen: (plan: string, available: number, needed: number, thenAvailable: number, thenNeeded: number) =>
        `Niet genoeg licenties meer voor ${plan}: ${available} beschikbaar, ${needed} nodig (bij de aanvraag waren er ${thenAvailable} beschikbaar voor ${thenNeeded}).`,
      newBlock: (finding: string) => `Nieuw blokkerend probleem: ${finding}`,
      newWarning: (finding: string) => `Nieuwe waarschuwing: ${finding}`,
      nowBlocking: (finding: string) => `Blokkeert nu (was een waarschuwing): ${finding}`,
      morePeople: (finding: string, added: number, now: number, was: number) =>
        `${finding} (${plural(added, 'persoon', 'personen')} meer getroffen dan bij de aanvraag: nu ${now}, toen ${was})`,
      nowBlocked: (findings: string) => (findings ? `De wijziging wordt nu geblokkeerd: ${findings}` : 'De wijziging wordt nu geblokkeerd.'),
    },
    noApprovers: 'Er zijn geen goedkeurders ingesteld (APPROVERS): niemand kan deze aanvraag goedkeuren.',
    undoRequested: (id: string, of: string) => `Ongedaan maken van wijziging ${of} aangevraagd als wijzigingsaanvraag ${id}; ook die moet worden goedgekeurd.`,
    notUndoable: (id: string) => `Wijziging ${id} kan niet ongedaan worden gemaakt.`,
  },

  reach: {
    list: (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} en ${items[items.length - 1]}`),
    orList: (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} of ${items[items.length - 1]}`),
    channel: (name: string) => `het kanaal ${name}`,
    groupChat: (name: string) => `de groepschat ${name}`,
    unnamedGroupChat: 'een groepschat',
    asking: 'De goedkeurders worden gevraagd…',
    sentTo: (people: string[], places: string[]) => {
      const items = [...people, ...places.map((p, i) => (i === 0 && people.length ? `naar ${p}` : p))];
      return `Verstuurd naar ${items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} en ${items[items.length - 1]}`}.`;
    },
    installing: (names: string) => `Plan Switch wordt geïnstalleerd voor ${names}: de goedkeuringskaart volgt zodra Teams dat bevestigt.`,
    notReached: (names: string) => `Niet bereikt: ${names} (Plan Switch is nog niet geopend in hun Teams).`,
    nobody: (names: string) =>
      names
        ? `Nog geen goedkeurder heeft Plan Switch geopend: vraag ${names} om het in Teams te openen, of voeg het toe aan het kanaal van uw goedkeurders.`
        : 'Nog geen goedkeurder heeft Plan Switch geopend: vraag een goedkeurder om het in Teams te openen, of voeg het toe aan het kanaal van uw goedkeurders.',
    noneConfigured: 'Niemand mag deze aanvraag goedkeuren (APPROVERS is leeg of noemt alleen u): vraag uw Teams-beheerder om goedkeurders in te stellen.',
    showMyOptions: 'Mijn opties tonen',
    reminder: (expires: string) => `Herinnering: deze aanvraag wacht nog op een beslissing. Ze verloopt ${expires}.`,
    reminderTitle: (id: string) => `Herinnering: wijzigingsaanvraag ${id} wacht op goedkeuring`,
    askAgain: 'Opnieuw aanvragen',
    channelAdded: (where: string) =>
      `Vanaf nu krijgt ${where} elke goedkeuringsaanvraag van Plan Switch. Goedkeurders zien Goedkeuren en Afwijzen op elke kaart (of "Mijn opties tonen"); alle anderen zien de status.`,
    channelHello: 'Plan Switch is er. Als een goedkeurder het aan een kanaal toevoegt, komen de goedkeuringsaanvragen in dat kanaal.',
    channelDropped: (where: string) =>
      `Plan Switch kan niet meer posten in ${where} (het is daar verwijderd, of Teams weigerde het bericht), dus goedkeuringsaanvragen gaan daar niet meer heen. Ze bereiken u nog steeds hier.`,
    waitingForYou: (n: number) => `${n === 1 ? '1 wijzigingsaanvraag wacht' : `${n} wijzigingsaanvragen wachten`} op uw goedkeuring:`,
  },

  result: {
    membersJoined: (n: number) =>
      `${n === 1 ? '1 lid is' : `${n} leden zijn`} na de controle lid geworden van de groep en ${n === 1 ? 'heeft' : 'hebben'} het nieuwe licentieplan ook via de groep gekregen.`,
    resumed:
      'De bot is opnieuw gestart terwijl deze wijziging liep. Hij heeft de wijziging weer opgepakt en in Microsoft Graph nagelezen wat er was gebeurd; er is niets dubbel verstuurd.',
    title: (id: string) => `Wijzigingsaanvraag ${id} is klaar`,
    completed: 'Klaar: alle leden hebben het nieuwe licentieplan.',
    failed: 'De wijziging is mislukt.',
    partial: 'Gedeeltelijk uitgevoerd: sommige leden hebben een fout.',
    done: (n: number) => `${plural(n, 'lid', 'leden')} klaar`,
    inError: (n: number) => `${plural(n, 'lid', 'leden')} met een fout`,
    stillHoldingSource: (n: number) => `${plural(n, 'lid houdt', 'leden houden')} het oude licentieplan via een andere bron`,
    timeout: 'Entra is nog niet klaar met verwerken; kijk later nog eens met "status".',
    next: 'Wat nu',
    nextCompleted: 'Niets: de licenties van het oude licentieplan zijn weer beschikbaar. Typ "ongedaan maken" met het wijzigingsnummer om terug te draaien.',
    nextPartial: 'Los de genoemde oorzaken op en klik dan op "Opnieuw verwerken na herstel" (of verplaats ze opnieuw).',
    nextFailed: 'Los de oorzaak hierboven op en vraag de wijziging opnieuw aan.',
    error: (e: string) => `Waarom: ${e}`,
    /** Waarom een uitvoering stopte (src/i18n/run-error.ts). */
    runError: {
      recheckFailed: (detail: string) => `De wijziging kon vóór de uitvoering niet opnieuw worden gecontroleerd: ${detail}`,
      refusedBeforeWriting: (detail: string) => `Er is niets gewijzigd: ${detail}`,
      swapCallFailed: (detail: string) => `De aanroep voor de wissel mislukte (${detail}); wat er veranderd is, is in Graph nagelezen.`,
      trackingFailed: (detail: string) => `De wissel is aanvaard, maar het volgen van de verwerking door Entra mislukte (${detail}); controleer met status.`,
      stillProcessing: (state: string) => `Entra was de groep nog aan het verwerken (${state}) toen de bot stopte met kijken; controleer met status.`,
      tooLate: 'De bot stopte voordat deze goedgekeurde wijziging werd uitgevoerd, te lang geleden om haar nu nog uit te voeren. Er is niets gewijzigd; vraag het opnieuw aan.',
      adoptGroupRefused: (detail: string) => `De groep kon het licentieplan niet krijgen (${detail}); verder is er niets gewijzigd.`,
      adoptTrackingFailed: (detail: string) =>
        `Het volgen van de verwerking van de groep door Entra mislukte (${detail}); er is geen rechtstreeks toegewezen licentie verwijderd. Controleer met status en zet de leden daarna opnieuw over.`,
      adoptStillProcessing: (state: string) =>
        `Entra was de groep nog aan het verwerken (${state}) toen de bot stopte met kijken: er is geen rechtstreeks toegewezen licentie verwijderd. Zet de leden opnieuw over zodra de verwerking klaar is.`,
      adoptWaveFailures: (wave: number, failed: number, sent: number, left: number) =>
        `Golf ${wave} had te veel fouten (${failed} van ${sent}): de ${left} leden van de latere golven houden hun eigen licentie. Los de oorzaak op en zet de leden opnieuw over.`,
    },
    // Adopt (rechtstreekse toewijzingen naar de groep)
    adoptCompleted: 'Klaar: iedereen die het licentieplan rechtstreeks toegewezen had, krijgt het nu via de groep.',
    adoptPartial: 'Deels klaar: sommige leden houden hun eigen licentie (hieronder, met de reden).',
    adoptFailed: 'Er is niets overgezet op de groep.',
    adoptRemoved: (n: number) => `${n === 1 ? '1 eigen licentie' : `${n} eigen licenties`} verwijderd: zij krijgen het licentieplan via de groep`,
    adoptKept: (n: number) => `${n === 1 ? '1 lid houdt' : `${n} leden houden`} hun eigen licentie`,
    adoptWhy: {
      servicesNotCovered: (services: string) => `de groepslicentie schakelt ${services} uit`,
      error: (message: string) => `hun licentie via de groep heeft een fout: ${message}`,
      notInherited: 'er kwam geen licentie via de groep bij hen aan (nog niet verwerkt, of geen lid meer)',
      removeFailed: (message: string) => `verwijderen mislukte: ${message}`,
      gone: 'geen eigen licentie meer: er is niets te verwijderen',
    },
    adoptNextCompleted: 'Niets: het aantal licenties in gebruik is als voorheen. Wie in de groep zit, heeft voortaan het licentieplan; wie de groep verlaat, verliest het.',
    adoptNextPartial: 'Los de genoemde oorzaken op en zet de leden daarna opnieuw over op de groep: alleen wie nog een eigen licentie heeft, wordt aangeraakt.',
  },

  pending: {
    title: 'Wachten op goedkeuring',
    empty: 'Er wachten geen aanvragen op goedkeuring.',
  },

  history: {
    title: 'Recente wijzigingen',
    empty: 'Nog geen wijzigingen.',
    line: (id: string, who: string, from: string, to: string, state: string) => `#${id} ${who}: ${from} → ${to} — ${state}`,
    adoptLine: (id: string, who: string, plan: string, state: string) => `#${id} ${who}: ${plan}, eigen licenties → via de groep — ${state}`,
  },

  doctor: {
    title: 'Plan Switch-diagnose: is deze tenant klaar?',
    graph: (url: string) => `Graph: ${url}`,
    signedIn: (appId: string, tenantId: string) => `Aangemeld als app ${appId} in tenant ${tenantId}.`,
    signInFailed: (error: string) => `Aanmelden mislukt: ${error}. Controleer AZURE_TENANT_ID, AZURE_CLIENT_ID en het clientgeheim of certificaat (docs/deploy.md, sectie 1).`,
    tenant: (name: string, id: string) => `Tenant: ${name} (${id})`,
    permissionsHeading: 'Toepassingsmachtigingen (de claim roles in het toegangstoken)',
    granted: 'verleend',
    coveredBy: (via: string) => `gedekt door ${via}`,
    grantedVia: (via: string) => `verleend via ${via} (werkt, maar meer dan nodig)`,
    missing: 'ONTBREEKT',
    missingOptional: 'niet verleend (optioneel)',
    required: 'vereist',
    optional: 'optioneel',
    feature: {
      assign: 'licenties wisselen (assignLicense voor gebruikers en groepen)',
      readUsers: 'licenties en gebruikslocaties van gebruikers lezen, gebruikers zoeken',
      readGroups: 'groepen, hun leden en de verwerking van groepslicenties lezen',
      readOrganization: 'naam en land van de tenant lezen',
      readPlans: 'licentieplannen en beschikbare licenties lezen (ook toegestaan met Organization.Read.All)',
      setUsageLocation:
        'maakt mogelijk: een ontbrekende gebruikslocatie instellen in een wijziging (aangeboden bij de controle vooraf, ingesteld vóór de licentiewijziging); leden met een fout opnieuw verwerken',
      installForApprovers: 'de bot installeren voor goedkeurders die hem nooit openden, zodat ze berichten krijgen',
      progressTotal: '"n van ongeveer N leden" tonen terwijl een grote groep wordt gelezen',
    },
    extraRoles: (roles: string) => `Ook verleend, niet nodig voor Plan Switch: ${roles}.`,
    group: (name: string, named: boolean) => (named ? `Groep: ${name}` : `Groep: ${name} (de eerste groep met een licentie; kies een andere met --group)`),
    user: (name: string, named: boolean) => (named ? `Gebruiker: ${name}` : `Gebruiker: ${name} (de eerste gebruiker met een licentie; kies een andere met --user)`),
    readsHeading: 'Graph-leesacties van het product (elk één keer, niets gewijzigd)',
    call: {
      organization: 'naam en land van de tenant',
      subscribedSkus: 'licentieplannen en beschikbare licenties',
      findGroup: 'een groep op naam zoeken',
      group: 'licenties en verwerkingsstatus van een groep',
      groupUsers: 'gebruikers in een groep met hun licentietoewijzingen',
      nestedGroups: 'geneste groepen in een groep',
      memberCount: 'het aantal leden van een groep',
      membersWithLicenseErrors: 'leden van een groep met licentiefouten',
      user: 'licenties en gebruikslocatie van een gebruiker',
      findUsers: 'gebruikers op naam zoeken',
      batch: 'gebruikers gelezen in een $batch',
      teamsApps: 'de installatie van de bot voor een gebruiker (Teams)',
    },
    ok: 'ok',
    skipped: 'niet geprobeerd (geen groep of gebruiker om het op te proberen)',
    missingPermission: (permission: string) => `geweigerd (403): de app mist ${permission}`,
    missingField: (fields: string) => `Graph gaf ${fields} niet terug`,
    headerWanted: (header: string) => `Graph wil de header ${header}`,
    notFound: 'niet gevonden',
    failed: (status: number, code: string, message: string) => `mislukt: ${status || 'geen antwoord'} ${code}${message ? `: ${message}` : ''}`,
    fix: {
      permission: (permission: string) =>
        `Oplossing: verleen de toepassingsmachtiging ${permission} (Microsoft Entra-beheercentrum > App-registraties > API-machtigingen > Een machtiging toevoegen > Microsoft Graph > Toepassingsmachtigingen), kies Beheerderstoestemming verlenen en voer doctor opnieuw uit.`,
      field: (fields: string) =>
        `Oplossing: Graph laat velden weg die de app niet mag lezen. Controleer of User.Read.All en GroupMember.Read.All zijn verleend (zonder User.Read.All geeft Graph van leden weinig meer dan hun id). Plan Switch leest een ontbrekend ${fields} nooit als "geen": groepscontroles mislukken tot Graph het teruggeeft.`,
      header: (header: string) =>
        `Oplossing: deze leesactie heeft de header ${header} nodig (een geavanceerde query). Plan Switch stuurt hem mee; laat hem door als een proxy headers weghaalt.`,
      notFound: 'Oplossing: noem een bestaande groep met --group (weergavenaam of object-id) en gebruiker met --user (UPN of object-id).',
      failed: 'Oplossing: zie de melding van Graph. Na 429 (beperkt) of 5xx (niet beschikbaar): voer doctor over een minuut opnieuw uit.',
    },
    verdictOk: 'Alles wat Plan Switch nodig heeft, werkt.',
    verdictBad: (n: number) => `${n === 1 ? '1 onderdeel' : `${n} onderdelen`} dat Plan Switch nodig heeft, ${n === 1 ? 'werkt' : 'werken'} niet: zie de oplossingen hierboven.`,
    elapsed: (ms: number) => `Gecontroleerd in ${(ms / 1000).toFixed(1).replace('.', ',')} s.`,
    running: 'De tenant wordt gecontroleerd (alleen lezen; minder dan een minuut)...',
    unavailable: 'doctor is niet beschikbaar in deze bot: voer plan-switch doctor uit op de opdrachtregel.',
    onlyApprovers: 'Alleen goedkeurders en licentiebeheerders kunnen doctor uitvoeren.',
  },

  // Teams loskoppelen (splitteams): "splits Teams af voor groep Verkoop", terug met "voeg Teams samen voor …".
  teams: {
    working: (name: string) => `Ik zoek uit hoe Teams voor ${name} wordt afgesplitst…`,
    workingJoin: (name: string) => `Ik zoek uit hoe Teams voor ${name} terugkomt in de suite…`,
    proposal: (who: string, remove: string, add: string) =>
      `Teams afsplitsen voor ${who}: ${remove} → ${add}, in één wijziging. Er verandert niets tot een tweede beheerder goedkeurt.`,
    proposalJoin: (who: string, remove: string, add: string) =>
      `Teams terug in de suite voor ${who}: ${remove} → ${add}, in één wijziging. Er verandert niets tot een tweede beheerder goedkeurt.`,
    nothingTitle: (who: string) => `Niets voor te stellen voor ${who}`,
    nothingChanged: 'Er is niets gewijzigd.',
    missingPrincipal: 'Teams afsplitsen voor wie? Bijvoorbeeld: splits Teams af voor groep Verkoop, of splits Teams af voor anna@contoso.nl.',
    missingPrincipalJoin: 'Teams terug in de suite voor wie? Bijvoorbeeld: voeg Teams samen voor groep Verkoop.',
    oneAtATime: 'Teams afsplitsen gaat per gebruiker of per groep. Bijvoorbeeld: splits Teams af voor groep Verkoop. Er is niets gewijzigd.',
    notes: {
      NOTHING_TO_SPLIT: (d: D) =>
        `Er is geen suite met een "(no Teams)"-versie toegewezen${list(d.held) ? ` (wel: ${list(d.held)})` : ''}, dus er is geen Teams om af te splitsen.`,
      ALREADY_SPLIT: (d: D) =>
        `Teams is al afgesplitst: toegewezen is ${list(d.plans) ?? 'het "(no Teams)"-licentieplan'}. Teams terug in de suite: voeg Teams samen voor … (dezelfde gebruiker of groep).`,
      NOTHING_TO_JOIN: (d: D) => `Er is geen "(no Teams)"-licentieplan toegewezen${list(d.held) ? ` (wel: ${list(d.held)})` : ''}, dus er valt niets samen te voegen.`,
      FROM_GROUP: (d: D) =>
        `${list(d.plans) ?? 'Dit licentieplan'} is overgenomen van een groepslicentie van ${list(d.groups) ?? '?'}: een groepslicentie wijzig je op de groep. Probeer: ${d.direction === 'join' ? 'voeg Teams samen' : 'splits Teams af'} voor groep ${str((d.groups as unknown[] | undefined)?.[0]) ?? '…'}.`,
      BUY_TWIN: (d: D) =>
        `De tenant heeft geen abonnement op een "(no Teams)"-versie van ${str(d.suite) ?? 'deze suite'}. Koop eerst ${Array.isArray(d.buy) && d.buy.length ? (d.buy as string[]).join(' of ') : 'die'} (de EEA-versie binnen de Europese Economische Ruimte); ik stel alleen licentieplannen voor die de tenant heeft.`,
      BUY_TEAMS: (d: D) =>
        `De tenant heeft geen abonnement op ${str(d.buy) ?? 'een Teams-licentie'}, die naast ${str(d.twin) ?? 'het "(no Teams)"-licentieplan'} hoort. Koop die eerst; ik stel alleen licentieplannen voor die de tenant heeft.`,
      BUY_SUITE: (d: D) =>
        `De tenant heeft geen abonnement op ${Array.isArray(d.buy) && d.buy.length ? (d.buy as string[]).join(' of ') : 'de suite'} om ${str(d.twin) ?? 'dit licentieplan'} in terug te zetten. Koop die eerst; ik stel alleen licentieplannen voor die de tenant heeft.`,
      CHOOSE: (d: D) =>
        `Meer dan één licentieplan van de tenant past bij ${str(d.plan) ?? 'dit licentieplan'}: ${list(d.candidates) ?? '?'}. Zeg welke met een verplaatsing en het onderdeelnummer (bijvoorbeeld: verplaats groep Verkoop van E1 naar "Office_365_E1_(no_Teams)" en "Teams Enterprise").`,
    },
  },

  /** Werk dat langer duurt dan een moment: de kaart die intussen staat, ter plekke bijgewerkt. */
  working: {
    checking: (name: string) => `${name} controleren…`,
    checkingChange: 'De wijziging controleren…',
    lookingUp: (name: string) => `${name} opzoeken…`,
    busy: 'Bezig…',
    membersRead: (read: number, total?: number) =>
      total !== undefined && total >= read
        ? `${read.toLocaleString('nl-NL')} van ongeveer ${total.toLocaleString('nl-NL')} leden gelezen`
        : `${read.toLocaleString('nl-NL')} leden gelezen`,
    elapsed: (ms: number) => `Nog bezig: ${duration(ms)} tot nu toe. Deze kaart wordt straks het antwoord.`,
    superseded: 'Gestopt: een nieuwere opdracht in deze chat heeft het overgenomen. Er is niets gewijzigd.',
  },

  // Gebruikslocatie in dezelfde wijziging instellen (issue 13 deel 6).
  // Waves (issue 13 part 4): grote wijzigingen lopen als proefgolf en daarna golven, elk gecontroleerd voor de volgende.
  waves: {
    title: 'Golven',
    plan: (pilot: number, size: number, count: number, people: number) =>
      `In ${count} golven: een proefgolf van ${pilot === 1 ? '1 persoon' : `${pilot} personen`}, daarna golven van ${size} (${people} personen in totaal); elke golf wordt gecontroleerd voor de volgende.`,
    pauseAt: (share: string) => `De wijziging pauzeert vanzelf wanneer meer dan ${share} van een golf mislukt.`,
    never: 'De wijziging pauzeert nooit vanzelf.',
    progress: (wave: number, count: number, done: number, total: number, failed: number) => `Golf ${wave} van ${count}: ${done} van ${total} personen klaar, ${failed} mislukt.`,
    sending: (wave: number, count: number, n: number) => `Golf ${wave} van ${count} wordt verstuurd (${n === 1 ? '1 persoon' : `${n} personen`})…`,
    skipped: (n: number) => `${n === 1 ? '1 persoon' : `${n} personen`} overgeslagen omdat ze nog niet klaar waren.`,
    pausedAuto: (wave: number, share: string, limit: string) => `Gepauzeerd na golf ${wave}: ${share} van de personen mislukte, meer dan ${limit}.`,
    pausedBy: (who: string, wave: number) => `Gepauzeerd door ${who} na golf ${wave}.`,
    pausedCheck: (why: string) => `Gepauzeerd: ${why}`,
    pausedCheckFailed: (wave: number, why: string) => `Gepauzeerd: de controle voor golf ${wave} mislukte: ${why}. Van deze golf is niets verstuurd.`,
    pausedNext: (id: string) => `Los op wat hieronder staat en typ dan "hervat ${id}" om met de volgende golf verder te gaan, of "annuleer ${id}" om hier te stoppen.`,
    pauseAsked: (who: string) => `${who} vroeg om te pauzeren: de golf die nu wordt verstuurd, wordt eerst afgemaakt.`,
    cancelAsked: (who: string) => `${who} vroeg om te annuleren: de golf die nu wordt verstuurd, wordt eerst afgemaakt; daarna wordt geen golf meer verstuurd.`,
    resumedBy: (who: string) => `Hervat door ${who}.`,
    cancelled: (ran: number, count: number, done: number) =>
      `Geannuleerd na golf ${ran} van ${count}: ${done === 1 ? '1 persoon is' : `${done} personen zijn`} gewijzigd; de golven die nog niet liepen, zijn niet verstuurd. Ongedaan maken draait terug wat gewijzigd is.`,
    whyTitle: (n: number) => `Waarom ${n === 1 ? '1 persoon' : `${n} personen`} mislukte${n === 1 ? '' : 'n'}`,
    skippedTitle: (n: number) => `${n === 1 ? '1 persoon' : `${n} personen`} overgeslagen`,
    why: {
      'usage-location': 'geen gebruikslocatie, dus er kan geen licentie rechtstreeks worden toegewezen; stel het land in en voer de wijziging voor hen opnieuw uit',
      'no-seats': 'geen beschikbare licenties van het nieuwe licentieplan meer; koop of maak er vrij',
      clash: 'het nieuwe licentieplan botst met een andere licentie die de gebruiker houdt',
      dependency: 'een andere licentie van de gebruiker heeft een service nodig die deze wijziging weghaalt',
      'location-not-allowed': 'het licentieplan mag niet worden gebruikt in de gebruikslocatie (het land) van de gebruiker',
      throttled: 'Microsoft Graph beperkte het aantal aanvragen; voor deze gebruiker is niets gewijzigd',
      'not-found': 'de gebruiker bestaat niet meer',
      forbidden: 'de app mag geen licenties wijzigen (LicenseAssignment.ReadWrite.All)',
      'not-shown': 'Graph heeft de wijziging aanvaard maar toont haar nog niet bij deze gebruiker; controleer met "status"',
      'not-made': 'de bot werd herstart terwijl hun golf liep en Graph toont dat hun wijziging niet is gemaakt',
      other: 'Microsoft Graph weigerde de wijziging',
    } as Record<string, string>,
    pause: 'Pauzeren',
    resume: 'Hervatten',
    cancelRest: 'De rest annuleren',
    paused: (id: string) => `Wijzigingsaanvraag ${id} is gepauzeerd`,
    resumed: (id: string) => `Wijzigingsaanvraag ${id} gaat verder met de volgende golf.`,
    pauseDone: (id: string) => `Wijzigingsaanvraag ${id} is gepauzeerd.`,
    // De controle van de resterende personen voor het hervatten (src/requests/resume-check.ts).
    recheckBlocked: (id: string) =>
      `Wijzigingsaanvraag ${id} blijft gepauzeerd: de resterende personen zijn opnieuw gecontroleerd en iets houdt de volgende golf tegen. Er is niets verstuurd.`,
    recheckTitle: (n: number, at: string) => `Opnieuw gecontroleerd voor het hervatten (${plural(n, 'resterende persoon', 'resterende personen')}, ${at}):`,
    recheckFailed: (why: string) => `De controle kon niet worden uitgevoerd (${why}). Er is niets verstuurd; probeer het zo opnieuw.`,
    recheckPassed: 'Niets houdt de volgende golf tegen.',
    recheckWarning: (text: string) => `Waarschuwing (houdt de wijziging niet tegen): ${text}`,
    recheckSkipped: (n: number) => `${plural(n, 'persoon wordt', 'personen worden')} overgeslagen in de golven:`,
    recheckDo: (code: string, again: string) => {
      if (code === 'SEATS_SHORT') return `Wat te doen: koop licenties van het nieuwe licentieplan of maak er vrij, ${again}`;
      if (code === 'USAGE_LOCATION_MISSING') return `Wat te doen: stel hun gebruikslocatie (land) in via het Microsoft 365-beheercentrum, ${again}`;
      if (code === 'TARGET_NOT_ACTIVE') return `Wat te doen: verleng of heractiveer het abonnement, ${again}`;
      if (code === 'CHECK_FAILED') return `Wat te doen: wacht even, ${again}`;
      return `Wat te doen: los dit op, ${again}`;
    },
    recheckAgain: (id: string) => `typ daarna opnieuw "hervat ${id}"; of "annuleer ${id}" om hier te stoppen (wat al liep, blijft gewijzigd; ongedaan maken draait het terug).`,
    notNeeded: (n: number) => `${plural(n, 'persoon had', 'personen hadden')} de wijziging niet meer nodig (telt als klaar).`,
    skipWhy: {
      'target-held': 'heeft het nieuwe licentieplan al: niets te wijzigen',
      'not-in-tenant': 'hoort niet meer bij deze organisatie: niets te wijzigen',
      'source-gone': 'heeft het licentieplan dat weg moet niet meer, dus er valt niets te vervangen; blijft zoals het is',
    } as Record<string, string>,
  },

  usageLocation: {
    setButton: (code: string) => `Eerst gebruikslocatie ${code} instellen`,
    setButtonNoCountry: 'Eerst de gebruikslocatie instellen',
    countryLabel: 'In te stellen gebruikslocatie (ISO-landcode, twee letters)',
    countryLabelFor: (n: number) =>
      n === 1
        ? 'In te stellen gebruikslocatie voor deze persoon (ISO-landcode, twee letters)'
        : `In te stellen gebruikslocatie voor deze ${n} personen (ISO-landcode, twee letters)`,
    countryPlaceholder: 'BE',
    badCountry: (input: string) =>
      `'${input}' is geen landcode: een gebruikslocatie is een ISO 3166-code van twee letters, zoals BE, NL of DE (GB voor het Verenigd Koninkrijk). Er is niets gewijzigd.`,
    needCountry: 'Typ het land dat moet worden ingesteld: een ISO 3166-code van twee letters, zoals BE. Er is niets gewijzigd.',
    cliHint: (code: string | null) =>
      code
        ? `Voeg --set-usage-location ${code} (of een andere landcode) toe om die in deze wijziging in te stellen.`
        : 'Voeg --set-usage-location <landcode> (bijv. BE) toe om die in deze wijziging in te stellen.',
    resultSet: (n: number, code: string) => `Gebruikslocatie ingesteld op ${country(code)} voor ${plural(n, 'persoon', 'personen')}`,
    resultFailed: (n: number) => `Gebruikslocatie kon niet worden ingesteld voor ${plural(n, 'persoon', 'personen')}`,
    notSetWhy: (why: 'forbidden' | 'rejected' | 'notFound' | 'other', code: string) =>
      why === 'forbidden'
        ? 'De gebruikslocatie kon niet worden ingesteld: de app heeft de machtiging User.ReadWrite.All met beheerderstoestemming nodig (zie diagnose). De licentie is niet gewijzigd; stel de gebruikslocatie in via Entra ID, of verleen de machtiging, en voer de wijziging opnieuw uit.'
        : why === 'rejected'
          ? 'Microsoft Graph accepteerde de gebruikslocatie niet (geen land dat het kent). De licentie is niet gewijzigd; kies een ander land en voer de wijziging opnieuw uit.'
          : why === 'notFound'
            ? 'De gebruiker bestaat niet meer (of is nog niet zichtbaar), dus de gebruikslocatie kon niet worden ingesteld. De licentie is niet gewijzigd.'
            : `De gebruikslocatie kon niet worden ingesteld${code ? ` (${code})` : ''}. De licentie is niet gewijzigd; stel haar in via Entra ID en voer de wijziging opnieuw uit.`,
    undoKeeps: 'Ongedaan maken laat de gebruikslocaties staan.',
  },

  // reprocess and watch (issue 13 part 5)
  reprocess: {
    button: 'Opnieuw verwerken na herstel',
    nothingToUndo: 'Opnieuw verwerken wijst niets toe, dus er valt niets ongedaan te maken.',
    historyLine: (id: string, who: string, n: number, plan: string, state: string) =>
      `#${id} ${who}: ${plural(n, 'lid', 'leden')} met een fout opnieuw verwerken (${plan}) — ${state}`,
    askWhich: 'Wie moet opnieuw verwerkt worden? Noem een groep (verwerk Verkoop opnieuw) of een gebruiker (verwerk anna@contoso.nl opnieuw).',
    nothing: (name: string, isGroup: boolean) =>
      isGroup
        ? `Geen enkel lid van ${name} heeft nu een licentiefout via de groep: er valt niets opnieuw te verwerken.`
        : `${name} heeft nu geen licentiefout via een groep: er valt niets opnieuw te verwerken.`,
    started: (id: string, n: number, name: string) =>
      `Opnieuw verwerken ${id}: Entra beoordeelt de groepslicenties van ${plural(n, 'lid', 'leden')} van ${name} opnieuw. Het antwoord volgt hier.`,
    requested: (id: string) => `Opnieuw verwerken ${id} is aangevraagd: een tweede beheerder keurt het goed (REPROCESS_APPROVAL=required).`,
    notAllowed: 'Opnieuw verwerken is voor goedkeurders en licentiebeheerders (APPROVERS / REQUESTERS). Er is niets opnieuw verwerkt.',
    fact: 'Opnieuw verwerken',
    factValue: (n: number) => `${plural(n, 'lid', 'leden')} met een fout`,
    plan: 'Licentie met fout',
    resultTitle: (id: string) => `Opnieuw verwerken ${id} is klaar`,
    allFine: 'Klaar: alle opnieuw verwerkte leden hebben de licentie nu.',
    someInError: 'Opnieuw verwerkt: sommige leden hebben nog een fout.',
    failed: 'Opnieuw verwerken is niet gelukt.',
    nowFine: (n: number) => `${plural(n, 'lid heeft', 'leden hebben')} nu de licentie`,
    stillInError: (n: number) => `${plural(n, 'lid heeft', 'leden hebben')} nog een fout`,
    refused: (n: number) => `${plural(n, 'lid is', 'leden zijn')} niet opnieuw verwerkt`,
    nextAllFine: 'Niets: hun licenties zijn actief.',
    nextSome: 'Los bij elk lid de genoemde oorzaak op en klik dan op "Opnieuw verwerken na herstel" (of typ: verwerk en de groep, gevolgd door opnieuw).',
    /** Een licentiefout van een lid via een groep: wat die betekent en hoe u die oplost, in één regel. */
    why: (error: string) => {
      switch ((error ?? '').trim().toLowerCase()) {
        case 'countviolation':
          return 'te weinig licenties: er waren er geen meer beschikbaar toen de groep dit lid het licentieplan gaf. Oplossing: koop meer licenties of maak er vrij (neem het licentieplan af van wie het niet meer nodig heeft) en verwerk opnieuw.';
        case 'mutuallyexclusiveviolation':
          return 'het licentieplan botst met een andere licentie van het lid (rechtstreeks toegewezen of via een andere groep). Oplossing: verwijder de botsende licentie of zet de botsende service in een van beide uit, en verwerk opnieuw.';
        case 'dependencyviolation':
          return 'een service die een van de licenties van het lid nodig heeft, ontbreekt. Oplossing: zet die service aan (in de licentie van de groep of een andere) of wijzig de licentie die hem nodig heeft, en verwerk opnieuw.';
        case 'prohibitedinusagelocationviolation':
          return 'het licentieplan mag niet worden gebruikt in de gebruikslocatie (het land) van het lid, of het lid heeft er geen. Oplossing: stel de gebruikslocatie van het lid in Entra ID in en verwerk opnieuw.';
        case 'uniquenessviolation':
          return 'een kenmerk dat uniek moet zijn in de tenant (meestal een proxyadres) botst met een ander object. Oplossing: verwijder het dubbele en verwerk opnieuw.';
        default:
          return 'Entra kon de licentie niet toepassen en noemt geen reden. Oplossing: bekijk de gebruiker in het Entra-beheercentrum (Licenties) en verwerk opnieuw.';
      }
    },
    line: (who: string, plan: string, why: string) => `${who}, ${plan}: ${why}`,
    watchTitle: (group: string) => `Nieuwe licentiefouten in ${group}`,
    watchText: (n: number, group: string) =>
      `${n === 1 ? '1 lid van' : `${n} leden van`} ${group} ${n === 1 ? 'heeft' : 'hebben'} een nieuwe licentiefout via de groep. Entra probeert het niet zelf opnieuw: los de oorzaak op en verwerk opnieuw.`,
    watchMore: (n: number) => `en nog ${n} (status met de groepsnaam toont ze allemaal)`,
    cliNothing: (name: string) => `Niets opnieuw te verwerken: niemand in ${name} heeft een licentiefout via een groep.`,
    cliConfirm: (n: number, name: string) => `${plural(n, 'lid', 'leden')} van ${name} opnieuw verwerken? [j/N] `,
    cliApprovalRequired:
      'REPROCESS_APPROVAL=required: opnieuw verwerken vraagt een tweede beheerder. Vraag het aan in Teams (verwerk en de groep, gevolgd door opnieuw); de CLI voert zonder goedkeuring niets uit.',
  },

  // De opdrachtregel (src/cli): gebruiksfouten, bevestigingen, weigeringen en de tekstverslagen.
  cli: {
    recheckAgain: (id: string, as: string) =>
      `voer daarna opnieuw "plan-switch resume ${id} --as ${as}" uit; of "plan-switch cancel ${id} --as ${as}" om hier te stoppen (wat al liep, blijft gewijzigd; "ongedaan maken ${id}" in Teams draait het terug).`,
    usage: {
      unknownOption: (option: string) => `Onbekende optie '${option}'.`,
      missingValue: (option: string) => `Optie '${option}' heeft een waarde nodig.`,
      takesNoValue: (option: string) => `Optie '${option}' neemt geen waarde.`,
      invalid: (detail: string) => `Ongeldige argumenten: ${detail}`,
      badLang: (value: string) => `--lang moet en of nl zijn, niet '${value}'.`,
      unknownCommand: (command: string, commands: string) => `Onbekende opdracht '${command}'. Opdrachten: ${commands} (zie plan-switch --help).`,
      unexpectedArgument: (arg: string) => `Onverwacht argument '${arg}'.`,
      whichRequest: (command: string) => `Zeg welke wijzigingsaanvraag: plan-switch ${command} 12 --as UPN.`,
      whoAreYou: (id: string) => `Zeg wie u bent: --as UPN (wie wijziging ${id} heeft aangevraagd, of een goedkeurder).`,
      notTaken: (command: string, option: string) => `'${command}' neemt geen --${option}.`,
      adoptWhichGroup: 'Zeg welke groep: --group NAAM|ID (de leden hebben het licentieplan rechtstreeks toegewezen).',
      planOnce: 'Noem het licentieplan één keer: --plan LICENTIEPLAN.',
      notANumber: (option: string, raw: string) => `--${option} moet een getal zijn, niet '${raw}'.`,
      atLeastOne: (option: string) => `--${option} moet minstens 1 zijn.`,
      onlyOneOf: (options: string[]) => `Geef maar één van ${options.length <= 1 ? (options[0] ?? '') : `${options.slice(0, -1).join(', ')} of ${options[options.length - 1]}`}.`,
      sayWho: (options: string[]) => `Zeg wie: ${options.length <= 1 ? (options[0] ?? '') : `${options.slice(0, -1).join(', ')} of ${options[options.length - 1]}`}.`,
      needsValue: (option: string) => `--${option} heeft een waarde nodig.`,
      teamsBoth: 'Geef --split-teams of --join-teams, niet allebei.',
      teamsOneAtATime: 'Teams afsplitsen werkt op één gebruiker of één groep: --group of --user.',
      teamsProposes: (option: string, command: string, kind: 'user' | 'group') =>
        `--${option} gaat niet samen met ${command}: de licentieplannen worden voorgesteld op basis van wat de ${kind === 'group' ? 'groep' : 'gebruiker'} heeft.`,
      whichTarget: 'Zeg naar welk licentieplan: --to <licentieplan> (bijvoorbeeld --to E3).',
      tooManyPlans: (max: number) => `Hoogstens ${max} licentieplannen voor --to en ${max} voor --from.`,
      includeDirectGroupOnly: '--include-direct geldt alleen voor een wijziging van een groep.',
      badCountry: (raw: string) => `--set-usage-location neemt een landcode van twee letters volgens ISO 3166, zoals BE of NL (GB voor het Verenigd Koninkrijk), niet '${raw}'.`,
      wavesUsersOnly: '--pilot en --wave-size gelden voor een lijst gebruikers (--users-file).',
      usersFileUnreadable: (path: string, code: string | undefined) =>
        `Kan het gebruikersbestand '${path}' niet lezen${code === 'ENOENT' ? ': bestand bestaat niet' : code ? ` (${code})` : ''}.`,
      usersFileEmpty: (path: string) => `Het gebruikersbestand '${path}' noemt geen gebruikers.`,
    },
    confirmSwap: (who: string, from: string, to: string, users: number) => `${who} wisselen van ${from} naar ${to} (${plural(users, 'gebruiker', 'gebruikers')})? [j/N] `,
    confirmAdopt: (members: number, group: string, plan: string) => `${plural(members, 'lid', 'leden')} van ${group} overzetten op ${plan} van de groep? [j/N] `,
    needYes: 'licenties worden niet gewijzigd zonder bevestiging: voeg --yes toe (er is geen terminal om het te vragen).',
    needYesReprocess: 'er wordt niets opnieuw verwerkt zonder bevestiging: voeg --yes toe (er is geen terminal om het te vragen).',
    cancelled: 'geannuleerd; er is niets gewijzigd.',
    cancelledReprocess: 'geannuleerd; er is niets opnieuw verwerkt.',
    waiting: 'Wachten tot Entra de leden van de groep heeft verwerkt...',
    notEveryone: (refused: number, inErrorAfter?: number) =>
      `de wijziging is niet voor iedereen gelukt (${refused} geweigerd${inErrorAfter === undefined ? '' : `, ${inErrorAfter} met een fout na de verwerking`}).`,
    notEveryoneWaves: (failed: number, total: number) => `de wijziging is niet voor iedereen gelukt (${failed} van ${total} mislukt).`,
    wavesStopped: (wave: number, count: number, share: string, limit: string, notSent: number) =>
      `gestopt na golf ${wave} van ${count}: bij ${share} van de mensen mislukte het, meer dan ${limit}. ${plural(notSent, 'persoon is', 'mensen zijn')} niet verstuurd; los de oorzaken op en voer de wijziging voor hen opnieuw uit.`,
    graphConfig: (problems: string) => `De Graph-configuratie is ongeldig: ${problems}`,
    unexpected: 'onverwachte fout',
    nameSource: 'Noem het met --from LICENTIEPLAN.',
    nameAdoptPlan: 'Noem het met --plan LICENTIEPLAN.',
    group: (name: string) => `groep ${name}`,
    andMore: (n: number) => `en nog ${n}`,
    moreLines: (n: number) => `... en nog ${n}`,
    tag: { block: 'BLOK', warn: 'LET OP', info: 'INFO' },
    adoptHead: (group: string, plan: string) => `Overzetten: ${group} neemt ${plan} over van de eigen licenties van de leden`,
    adoptCounts: (own: number, seats: string) => `Eigen licenties te verwijderen: ${own}; licenties in gebruik: ${seats}`,
    seatsMore: (needed: number, available: number) => `${needed} meer (${available} beschikbaar)`,
    seatsUnchanged: 'ongewijzigd (een licentieplan telt één keer per persoon)',
    change: (who: string, from: string, to: string) => `Wijziging: ${who} van ${from} naar ${to}`,
    affected: (n: number) => `Betrokken gebruikers: ${n}`,
    seatsOf: (plan: string, needed: number, available: number) => `Licenties van ${plan}: ${needed} nodig, ${available} beschikbaar`,
    affectedSeats: (n: number, needed: number, available: number) => `Betrokken gebruikers: ${n}; licenties nodig ${needed}, beschikbaar ${available}`,
    calls: (groups: number, users: number, directIncluded: boolean) =>
      `Aanroepen: ${[groups ? `${groups} assignLicense voor een groep` : '', users ? `${users} assignLicense voor een gebruiker` : ''].filter(Boolean).join(' + ') || 'geen'}${directIncluded ? ' (rechtstreekse kopieën meegenomen)' : ''}`,
    findings: 'Bevindingen',
    counts: (block: number, warn: number, info: number) => `${block} blokkerend, ${plural(warn, 'waarschuwing', 'waarschuwingen')}, ${plural(info, 'opmerking', 'opmerkingen')}`,
    resultBlocked: (counts: string) => `Uitkomst: GEBLOKKEERD (${counts}). Er is niets gewijzigd.`,
    resultReady: (counts: string) => `Uitkomst: klaar om uit te voeren (${counts}).`,
    usageLocationSet: (country: string, names: string) => `Gebruikslocatie ingesteld op ${country}: ${names}`,
    usageLocationNotSet: (names: string) => `Gebruikslocatie niet ingesteld: ${names}`,
    accepted: (names: string) => `Aangenomen door Entra (wordt op de achtergrond verwerkt): ${names}`,
    changed: (n: number) => `Gewijzigd: ${plural(n, 'gebruiker', 'gebruikers')}`,
    failed: (n: number) => `Mislukt: ${n}`,
    refused: 'geweigerd',
    trackComplete: 'Verwerking klaar',
    trackTimeout: (state: string) => `Nog bezig (${state}) toen het wachten eindigde; kijk later opnieuw met 'plan-switch status'`,
    trackEnded: (state: string) => `Verwerking geëindigd als ${state}`,
    trackSummary: (head: string, done: number, inError: number, holding: number) =>
      `${head}: ${done} klaar, ${inError} met een fout, ${holding} met het oude licentieplan nog via een andere weg.`,
    stillHolding: (names: string) => `Hebben het oude licentieplan nog: ${names}`,
    plansColumns: {
      plan: 'Licentieplan',
      partNumber: 'Onderdeelnummer',
      aliases: 'Ook genoemd',
      enabled: 'Ingeschakeld',
      consumed: 'Toegewezen',
      available: 'Beschikbaar',
      status: 'Status',
    },
    groupState: (state: string | undefined, members: number | undefined, inError: number) =>
      `Verwerkingsstatus: ${state ?? 'onbekend'}; leden: ${members ?? '?'}; leden met licentiefouten: ${inError}`,
    statusColumns: { plan: 'Licentieplan', from: 'Via', state: 'Status', error: 'Fout', disabled: 'Uitgeschakelde services' },
    groupNoLicenses: 'De groep heeft geen licenties toegewezen.',
    userNoLicenses: 'Geen licenties.',
    direct: 'rechtstreeks',
    help: `plan-switch: verplaats Microsoft 365-gebruikers en -groepen van het ene licentieplan naar het andere
in één gecombineerde assignLicense-aanroep (het nieuwe licentieplan erbij en het oude eraf op
hetzelfde moment).

Gebruik:
  plan-switch preflight (--group NAAM|ID | --user UPN|ID | --users-file BESTAND) [--from PLAN]... --to PLAN...
                        [--include-direct] [--enable SERVICE]... [--disable SERVICE]...
                        [--set-usage-location LAND] [--json]
  plan-switch swap      ... als preflight ... [--yes] [--no-wait] [--timeout SECONDEN] [--json]
                        [--pilot N] [--wave-size N]
  plan-switch adopt     --group NAAM|ID [--plan PLAN] [--accept-loss UPN|ID]... [--dry-run] [--yes]
                        [--pilot N] [--wave-size N] [--timeout SECONDEN] [--json]
  plan-switch split-teams (--group NAAM|ID | --user UPN|ID) [--json]
  plan-switch join-teams  (--group NAAM|ID | --user UPN|ID) [--json]
  plan-switch swap      (--group NAAM|ID | --user UPN|ID) --split-teams|--join-teams [--yes] ...
  plan-switch status    (--group NAAM|ID | --user UPN|ID) [--json]
  plan-switch plans     [--json]
  plan-switch doctor    [--group NAAM|ID] [--user UPN|ID] [--json]
  plan-switch reprocess (--group NAAM|ID | --user UPN|ID) [--yes] [--json]
  plan-switch pause|resume|cancel ID --as UPN [--json]

Opdrachten:
  preflight  Controleer een wijziging vooraf en laat zien wat ze zou doen. Schrijft niets.
  swap       Controle vooraf, dan de wijziging uitvoeren. Weigert als de controle blokkeert. Vraagt
             j/N op een terminal; zonder terminal is --yes nodig. Bij een groep wordt gevolgd
             tot Entra de leden heeft verwerkt (--no-wait om over te slaan, --timeout als grens;
             standaard 600 s). Een gebruikersbestand dat langer is dan de pilot loopt in golven:
             een pilot (WAVE_PILOT, standaard 5; --pilot), dan golven van WAVE_SIZE (standaard
             100; --wave-size), elk teruggelezen voor de volgende; het stopt als meer dan
             WAVE_PAUSE_AT (10%) van een golf mislukt, zegt per persoon waarom, en verstuurt niets
             meer (afsluitcode 1).
  adopt      De groep neemt het licentieplan over dat de leden rechtstreeks toegewezen hebben
             (Microsofts "gebruikers met individuele licenties migreren naar groepen"): de groep
             krijgt het licentieplan (één schrijfactie, geen extra licenties), Entra verwerkt het,
             daarna worden de eigen licenties van de leden in golven verwijderd (een pilot van 5,
             dan 100 tegelijk), elk lid eerst gecontroleerd: alleen wie de licentie via de groep
             Active heeft en die de eigen licentie dekt, verliest de eigen licentie.
             --accept-loss noemt leden van wie de eigen licentie services heeft die de groep
             uitschakelt, om die toch te verwijderen. --dry-run: alleen de controle.
  split-teams  Teams afsplitsen: stel voor elke suite van de gebruiker of groep de "(no Teams)"-
             versie voor plus de Teams-licentie die de tenant heeft (Microsoft Teams Enterprise, of
             Teams EEA naast een EEA-versie), als één wijziging, en controleer die vooraf. Schrijft
             niets. Alleen licentieplannen waarop de tenant een abonnement heeft worden
             voorgesteld; anders zegt het welke te kopen (afsluitcode 2).
             Uitvoeren met: swap --group NAAM --split-teams [--yes].
  join-teams   Het omgekeerde: de "(no Teams)"-versie en de Teams-licentie terug in de suite.
  status     De licenties van een gebruiker (met waar elk vandaan komt) of van een groep met de
             verwerkingsstatus.
  plans      De licentieplannen van de tenant met ingeschakelde, toegewezen en beschikbare licenties.
  doctor     Controle van de tenant, alleen lezen: aanmelding, de machtigingen van de app (de rollen
             in het token) tegenover docs/deploy.md, en elke soort Graph-leesactie één keer, op
             --group en --user of de eerste met een licentie; zegt per leesactie wat ontbreekt en
             hoe het op te lossen. Afsluitcode 0 als alles werkt wat Plan Switch nodig heeft,
             anders 1.
  reprocess  De leden van een groep (of één gebruiker) met een fout in hun groepslicenties, met
             waarom en de oplossing; daarna beoordeelt Entra ze opnieuw
             (reprocessLicenseAssignment, nadat de oorzaak is opgelost) en zegt het wie nu een
             licentie heeft en wie nog een fout heeft. Vraagt j/N op een terminal, anders is --yes
             nodig. Geweigerd als REPROCESS_APPROVAL=required (vraag het in Teams, waar een tweede
             beheerder goedkeurt). Afsluitcode 1 als iemand nog een fout heeft.
  pause, resume, cancel
             Een wijzigingsaanvraag van de bot die in golven loopt (STATE_DB als die van de bot):
             pause stopt haar voor de volgende golf, resume controleert de overgebleven mensen
             opnieuw en gaat daar verder (een draaiende bot neemt het binnen een minuut over; als
             iets blokkeert, bijvoorbeeld te weinig licenties, blijft ze gepauzeerd, wordt er niets
             verstuurd en staat elke bevinding er met wat te doen), cancel stopt haar voorgoed (golven die nog niet
             liepen worden niet verstuurd; een aanvraag die nog op goedkeuring wacht, wordt
             ingetrokken). --as noemt wie handelt: wie de wijziging aanvroeg of een goedkeurder,
             net als in Teams; vastgelegd in het auditlogboek. Afsluitcode 1 bij een weigering.

Opties:
  --from PLAN         Bronlicentieplan ("E1", "STANDARDPACK", "Office 365 E1" of een skuId). Niet
                      nodig als de gebruiker of groep precies één kandidaat heeft. Herhaal het om
                      meerdere licentieplannen in dezelfde wijziging te verwijderen.
  --to PLAN           Doellicentieplan. Herhaal het om meerdere licentieplannen in één wijziging
                      toe te voegen, bijvoorbeeld --from E3 --to "E3 (no Teams)" --to "Teams
                      Enterprise": één assignLicense-aanroep per gebruiker of groep voegt elk doel
                      toe en verwijdert elke bron.
  --users-file BESTAND
                      Eén UPN of object-id per regel; # begint een opmerking.
  --include-direct    Wijziging van een groep: wissel ook de rechtstreeks toegewezen kopieën van
                      het bronlicentieplan bij de leden.
  --set-usage-location LAND
                      Stel eerst deze gebruikslocatie in (ISO-code: BE, NL...) voor wie in de
                      wijziging er geen heeft (PATCH /users/{id} voor de licentieaanroepen). Heeft
                      de toepassingsmachtiging User.ReadWrite.All nodig (doctor laat het zien);
                      wijzigt nooit een ingestelde.
  --enable/--disable  Zet een service van het doellicentieplan aan of uit (naam of id van het
                      serviceplan); herhaalbaar.
  --json              Uitvoer voor programma's: { change, findings, counts } (swap voegt result en
                      tracking toe); de codes blijven, de teksten (message) in de taal van --lang.
  --lang en|nl        Taal van alles wat plan-switch zegt (standaard en): bevindingen, vragen,
                      weigeringen en fouten, met dezelfde zinnen als de kaarten van de bot.
  -y, --yes           Niet om bevestiging vragen.
  -h, --help          Deze hulp.

Afsluitcodes: 0 klaar (of niets blokkeert), 2 geblokkeerd door de controle vooraf, 1 fout
(verkeerde invoer, onbekend licentieplan of onbekende gebruiker of groep, Graph weigerde of faalde;
bij verkeerde invoer wordt niets geschreven).

Graph: zonder GRAPH_BASE_URL wordt de meegeleverde sandbox-tenant gestart op
127.0.0.1:SANDBOX_PORT (standaard 3979) uit SANDBOX_TENANT (standaard data/demo-tenant.json).
GRAPH_BASE_URL op loopback gebruikt een los gestarte sandbox. Echte Graph:
GRAPH_BASE_URL=https://graph.microsoft.com/v1.0 met AZURE_TENANT_ID, AZURE_CLIENT_ID en
AZURE_CLIENT_SECRET of AZURE_CLIENT_CERTIFICATE_PATH, of GRAPH_AUTH=managed-identity.
`,
  },

  findings: {
    SAME_PLAN: (_d: D) => 'Het bron- en doellicentieplan zijn hetzelfde: er valt niets te wisselen.',
    SOURCE_NOT_ASSIGNED: (d: D) => {
      if (!d.group)
        return `${str(d.plan) ? `${str(d.plan)} (een van de licentieplannen die weggaan)` : 'Het bronlicentieplan'} is hier niet toegewezen, dus er valt niets te wisselen. Haal ze uit de wijziging.${list(d.notFound) ? ` Niet gevonden in de directory: ${list(d.notFound)}.` : ''}`;
      const direct = num(d.directHolders) ?? 0;
      const users = Array.isArray(d.suggestUsers) ? d.suggestUsers.filter((u): u is string => typeof u === 'string') : [];
      const move = d.button
        ? ': de eerste knop hieronder controleert precies dat'
        : users.length && str(d.from) && str(d.to)
          ? `: zeg "verplaats ${users.length === 1 ? 'gebruiker' : 'gebruikers'} ${users.join(', ')} van ${plansOf(d.fromPlans) ?? str(d.from)} naar ${plansOf(d.toPlans) ?? str(d.to)}"`
          : ', in één bericht of met de opdrachtregel (--users-file)';
      const parts = [
        `De groep heeft ${str(d.plan) ? `${str(d.plan)} niet, een van de licentieplannen die weggaan` : 'het bronlicentieplan niet'}, dus er valt op de groep niets te wisselen.`,
      ];
      if (direct)
        parts.push(
          `${direct === 1 ? 'Eén lid heeft' : `${direct} leden hebben`} het rechtstreeks toegewezen: verplaats ${direct === 1 ? 'die gebruiker afzonderlijk' : 'hen als afzonderlijke gebruikers'}${move}.`,
        );
      if (direct && d.adoptButton)
        parts.push(
          'Of laat de groep het licentieplan van hen overnemen: de groep krijgt het, daarna verdwijnen hun eigen licenties, zonder extra licenties; de tweede knop controleert dat (daarna kan de groep verplaatst worden).',
        );
      if (list(d.otherGroups)) parts.push(`Leden krijgen het ook via de groep ${list(d.otherGroups)}: wijzig die groep.`);
      return parts.join(' ');
    },
    SOURCE_INHERITED: (d: D) =>
      d.keepsGroupCopy
        ? `Zij krijgen het bronlicentieplan ook via een groepslicentie${list(d.groups) ? ` (groep ${list(d.groups)})` : ''}: de wissel vervangt hun eigen kopie, en die van de groep blijft naast het nieuwe licentieplan staan (twee licenties). Wijzig de groep, of haal hen uit de groep, om dat te beëindigen.`
        : `Het bronlicentieplan is overgenomen van een groepslicentie${list(d.groups) ? ` (groep ${list(d.groups)})` : ''}. Zo'n licentie kan niet bij de gebruiker worden verwijderd: wijzig de groepslicentie, of haal de gebruikers eerst uit de groep.`,
    SOURCE_ALSO_ELSEWHERE: (d: D) => {
      const direct = Array.isArray(d.direct) ? d.direct.length > 0 : d.suggestIncludeDirectCopies !== false;
      const groups = list(d.otherGroups);
      const where = [direct ? 'rechtstreeks toegewezen' : '', groups ? `via de groep ${groups}` : ''].filter(Boolean).join(' of ');
      const effect =
        d.clash === false
          ? 'Zij houden het naast het nieuwe licentieplan en gebruiken twee licenties.'
          : 'Zij houden het, en het nieuwe licentieplan van deze groep mislukt dan voor hen (licentieconflict): ze blijven op het oude licentieplan met een fout op het nieuwe.';
      const fix = [direct ? 'neem hun rechtstreeks toegewezen kopieën mee in deze wijziging' : '', groups ? 'wijzig ook de andere groep' : ''].filter(Boolean).join(', of ');
      return `Sommige leden hebben het bronlicentieplan ook ${where || 'via een andere bron'}. ${effect}${fix ? ` Om dat te voorkomen: ${fix}.` : ''}`;
    },
    TARGET_ALREADY_ASSIGNED: (d: D) =>
      d.group
        ? 'De groep heeft het doellicentieplan al: de uitgeschakelde serviceplannen worden vervangen door die van het bronlicentieplan.'
        : num(d.direct)
          ? 'Zij hebben het doellicentieplan al rechtstreeks toegewezen: de wissel zou die instellingen overschrijven en kan niet netjes worden teruggedraaid. Verwijder alleen het bronlicentieplan.'
          : num(d.inherited)
            ? 'Zij krijgen het doellicentieplan al via een groepslicentie: er is geen nieuwe licentie nodig.'
            : 'Zij hebben het doellicentieplan al: er is geen nieuwe licentie nodig.',
    SEATS_SHORT: (d: D) => {
      if (d.adopt)
        return `Niet genoeg beschikbare licenties voor de leden die het licentieplan nu nergens vandaan hebben: ${num(d.needed) ?? '?'} nodig, ${num(d.available) ?? '?'} beschikbaar. Leden met een rechtstreekse toewijzing hebben er geen nodig. Koop er meer bij, maak er vrij, of haal die leden eerst uit de groep.`;
      const disabled = num(d.disabledAccounts);
      const accounts = disabled
        ? ` ${disabled === 1 ? 'Eén daarvan is een uitgeschakeld account, dat wel' : `${disabled} daarvan zijn uitgeschakelde accounts, die wel`} een licentie gebruik${disabled === 1 ? 't' : 'en'}.`
        : '';
      return `Niet genoeg beschikbare ${str(d.plan) ? `${str(d.plan)}-` : ''}licenties: ${num(d.needed) ?? '?'} nodig, ${num(d.available) ?? '?'} beschikbaar${num(d.short) ? ` (${num(d.short)} tekort)` : ''}. Licenties die het bronlicentieplan vrijmaakt, tellen niet mee.${accounts} Koop er meer bij of maak er eerst vrij.`;
    },
    TARGET_NOT_ACTIVE: (d: D) => {
      const status = str(d.capabilityStatus);
      if (d.unusable) return `Het doelabonnement is ${status ?? 'niet actief'}: de licenties ervan kunnen niet worden toegewezen. Verleng of heractiveer het eerst.`;
      if (status?.toLowerCase() === 'warning')
        return 'Het doelabonnement is in de respijtperiode (Warning): het is verlopen of verloopt bijna, en werkt niet meer als het niet wordt verlengd.';
      return `Het doelabonnement is niet actief${status ? ` (${status})` : ''}. Controleer het in het Microsoft 365-beheercentrum.`;
    },
    TARGET_NOT_ASSIGNABLE: (d: D) =>
      `Het doellicentieplan is een abonnement voor ${str(d.appliesTo) ?? 'iets anders dan gebruikers'} en kan niet aan gebruikers of groepen worden toegewezen.`,
    MUTUALLY_EXCLUSIVE: (d: D) => {
      const sku = name(d.sku) ?? 'een ander licentieplan';
      const services = list(Array.isArray(d.plans) ? d.plans.map((p) => (p as { service?: string }).service ?? '').filter(Boolean) : d.plans);
      // Meerdere licentieplannen in één wijziging (multiplan): twee licentieplannen die erbij komen botsen.
      if (d.betweenTargets)
        return `Twee licentieplannen die erbij komen botsen met elkaar: ${name(d.target) ?? 'het ene'} en ${sku}${services ? ` (${services})` : ''} kunnen niet samen op één gebruiker. Neem er maar één van op.`;
      return d.addOn
        ? `Het nieuwe licentieplan kan botsen met serviceplannen in ${sku}${services ? ` (${services})` : ''}. Zulke invoegtoepassingen worden meestal naast een suite geaccepteerd; weigert Microsoft het, schakel dan het serviceplan in ${sku} uit.`
        : `Een licentieconflict: het nieuwe licentieplan botst met ${sku}${services ? ` (${services})` : ''}, dat zij houden. Die twee kunnen niet samen op één gebruiker: verwijder ${sku} of schakel het botsende serviceplan eerst uit.`;
    },
    DEPENDENCY_BROKEN: (d: D) => {
      const plan = str(d.planLabel) ?? str(d.plan) ?? 'Een serviceplan';
      const needs = list(d.requiresLabels ?? d.requiresAnyOf)?.replace(/, ([^,]*)$/, ' of $1') ?? 'een ander serviceplan';
      if (d.directCopyRemoval)
        return `Hun eigen kopie van ${name(d.sku) ?? 'het oude licentieplan'} wordt vóór die van de groep verwijderd: de kopie van de groep heeft ${needs} nodig voor ${plan}, en alleen hun eigen kopie levert dat, dus Microsoft weigert die verwijdering en zij houden hun eigen kopie. Laat hun rechtstreeks toegewezen kopieën buiten deze wijziging, of schakel ${needs} eerst in de groepslicentie in.`;
      return d.targetOwnPlan
        ? `${plan} van het nieuwe licentieplan heeft ${needs} nodig, dat uit zou staan: Microsoft weigert dat. Laat een van beide ingeschakeld.`
        : `${plan}${name(d.sku) ? ` van ${name(d.sku)}` : ''} heeft ${needs} nodig; het bronlicentieplan levert dat nu, het nieuwe licentieplan zoals ingesteld niet. Laat die service ingeschakeld in het nieuwe licentieplan${name(d.sku) ? `, of schakel haar in ${name(d.sku)} in` : ''}.`;
    },
    DIRECT_COPIES_NOT_RESTORED: (d: D) => {
      const removed = num(d.removed) ?? 0;
      const swapped = num(d.swapped) ?? 0;
      const parts = ['Dit ongedaan maken wijzigt alleen de groep.'];
      if (removed)
        parts.push(
          `${plural(removed, 'lid had', 'leden hadden')} het oude licentieplan ook rechtstreeks toegewezen; die kopieën zijn weggehaald en komen niet terug: zij krijgen het oude licentieplan weer via de groep, met de serviceplannen van de groep.`,
        );
      if (swapped) parts.push(`${plural(swapped, 'lid houdt', 'leden houden')} het nieuwe licentieplan op de eigen kopie: maak dat per gebruiker ongedaan.`);
      return parts.join(' ');
    },
    SERVICES_LOST: (d: D) => {
      const down = few(d.downgraded);
      // Services lost because the plan lacks them, apart from those lost with removed direct copies.
      const other = few(Array.isArray(d.lost) && Array.isArray(d.directLost) ? d.lost.filter((s) => !(d.directLost as unknown[]).includes(s)) : d.lost);
      const direct = few(d.directLost);
      const parts = [
        other ? `zij verliezen ${other}: het nieuwe licentieplan heeft die service niet` : '',
        down ? `zij krijgen een kleinere editie van ${down}` : '',
        direct
          ? `leden van wie deze wijziging hun eigen rechtstreeks toegewezen kopie van het oude licentieplan weghaalt, verliezen ${direct}: in het nieuwe licentieplan van de groep staat die uit, net als in het oude`
          : '',
      ].filter(Boolean);
      return parts.length
        ? `${parts.join('; ').replace(/^./, (c) => c.toUpperCase())}. Dit kan leiden tot verlies van service of gegevens.`
        : 'Sommige services gaan verloren of worden kleiner: zie de lijst hierboven.';
    },
    USAGE_LOCATION_MISSING: (d: D) => {
      const fix = d.fix && typeof d.fix === 'object' ? (d.fix as { country?: unknown }) : undefined;
      const needs = str(d.fixNeeds);
      const offer = fix
        ? str(fix.country)
          ? ` Plan Switch kan die in deze wijziging instellen op ${country(fix.country)}, het land van de organisatie, of op een ander land.`
          : ' Plan Switch kan die in deze wijziging instellen: kies het land.'
        : needs
          ? ` Met de toepassingsmachtiging ${needs} kan Plan Switch die in de wijziging instellen (zie diagnose).`
          : '';
      if (d.direct)
        return `Geen gebruikslocatie: zonder gebruikslocatie kan een licentie niet rechtstreeks worden toegewezen.${fix ? offer : ` Stel die eerst in Entra ID in.${offer}`}`;
      return str(d.defaultCountry)
        ? `Geen gebruikslocatie: groepslicenties gebruiken het land van de organisatie, ${region(d.defaultCountry)} (${str(d.defaultCountry)}).${offer}`
        : `Geen gebruikslocatie, en de organisatie heeft ook geen land ingesteld: de licentie kan mislukken. Stel eerst gebruikslocaties in.${offer}`;
    },
    // Gebruikslocatie in dezelfde wijziging instellen (issue 13 deel 6).
    USAGE_LOCATION_SET: (d: D) =>
      `De gebruikslocatie wordt vóór de licentiewijziging ingesteld op ${country(d.country)} voor ${plural(num(d.count) ?? 0, 'persoon', 'personen')}, als deel van deze wijziging. Ongedaan maken laat die staan.`,
    USAGE_LOCATION_KEPT: (d: D) =>
      `De wijziging heeft de gebruikslocatie ingesteld op ${country(d.country)} voor ${plural(num(d.count) ?? 0, 'persoon', 'personen')}: dit ongedaan maken laat die staan (Plan Switch maakt een gebruikslocatie nooit leeg).`,
    GROUP_SYNCED: (d: D) =>
      d.adopt
        ? 'De groep wordt on-premises beheerd en gesynchroniseerd: het lidmaatschap wordt daar beheerd, en Plan Switch laat het zoals het is. Dat is prima: wie lid is, krijgt het licentieplan via de groep, en wie later uit de groep gaat, verliest het, want die heeft geen eigen licentie meer.'
        : 'De groep wordt on-premises beheerd en gesynchroniseerd: het lidmaatschap wordt daar beheerd en wijzigingen komen met vertraging door. De wissel wijzigt alleen de licentie van de groep, niet de leden.',
    GROUP_DYNAMIC: (d: D) =>
      d.adopt
        ? `De groep heeft dynamisch groepslidmaatschap${str(d.membershipRule) ? `, met de regel ${str(d.membershipRule)}` : ''}: het lidmaatschap volgt uit de regel, en Plan Switch laat het zoals het is. Dat is prima: wie volgens de regel lid is, krijgt het licentieplan via de groep, en wie later buiten de regel valt, verliest het, want die heeft geen eigen licentie meer.`
        : `De groep heeft dynamisch groepslidmaatschap${str(d.membershipRule) ? `, met de regel ${str(d.membershipRule)}` : ''}: leden komen en gaan volgens de regel, en wie lid is krijgt het nieuwe licentieplan.`,
    GROUP_NOT_SECURITY: (_d: D) =>
      'Alleen beveiligingsgroepen kunnen licenties hebben, en deze groep is er geen. Gebruik een beveiligingsgroep, of schakel beveiliging in voor deze groep.',
    NESTED_GROUPS: (d: D) =>
      d.adopt
        ? 'De groep bevat andere groepen: licenties gaan alleen naar directe leden, dus de leden van die groepen nemen het licentieplan niet over van deze groep en houden hun eigen licentie.'
        : 'De groep bevat andere groepen: licenties gaan alleen naar directe leden, dus de leden van die groepen krijgen via deze groep niets, voor of na de wissel.',
    GROUP_PROCESSING: (d: D) =>
      `Entra ID verwerkt nog een eerdere licentiewijziging van deze groep${str(d.state) ? ` (${processing(str(d.state)!)})` : ''}. Wacht tot dat klaar is.`,
    MEMBERS_IN_ERROR: (d: D) =>
      d.adopt
        ? `Sommige leden hebben al een licentiefout via deze groep${errors(d.byError) ? ` (${errors(d.byError)})` : ''}: ieder houdt zijn eigen licentie tot de licentie via de groep werkt. Los de oorzaak op en zet de leden daarna opnieuw over.`
        : `Sommige leden hebben al een licentiefout via deze groep${errors(d.byError) ? ` (${errors(d.byError)})` : ''}. De wissel past het nieuwe licentieplan van de groep ook op hen toe: een fout die door het oude licentieplan kwam (een conflict ermee) verdwijnt daarmee, elke andere blijft tot de oorzaak is opgelost; de andere bevindingen zeggen wat voor hen geldt.`,
    TARGET_ALREADY_HELD: (d: D) => {
      const plan = name(d.target) ?? 'het doellicentieplan';
      const where = [d.group ? 'op de groep zelf' : '', d.direct ? 'rechtstreeks toegewezen' : '', list(d.groups) ? `via de groep ${list(d.groups)}` : '']
        .filter(Boolean)
        .join(' en ');
      return `Zij hebben ${plan} al${where ? ` (${where})` : ''}: er valt niets te verplaatsen en er wordt niets uitgevoerd. Wilt u toch een ander licentieplan ermee vervangen, noem dat plan dan ("van ...").`;
    },
    // Meerdere licentieplannen in één wijziging (multiplan)
    TEAMS_NEEDED: (d: D) => {
      const s = Array.isArray(d.services) ? d.services : [];
      const what =
        [s.includes('phone') ? 'Teams Phone' : '', s.includes('conferencing') ? 'Audio Conferencing' : ''].filter(Boolean).join(' en ') || 'Teams Phone of Audio Conferencing';
      return `Zij houden ${what}${list(d.skus) ? ` (via ${list(d.skus)})` : ''}, dat Teams nodig heeft, maar hebben na deze wijziging geen Teams-licentie: bellen en inbellen werken dan niet meer. Neem een Teams-licentieplan op in de wijziging (bijvoorbeeld "en Teams Enterprise").`;
    },
    SUITE_STACKED: (d: D) => {
      const other = name(d.sku) ?? 'een ander pakket';
      const plan = name(d.target) ?? 'het nieuwe licentieplan';
      const n = num(d.seats) ?? num(d.count) ?? 0;
      const from = [num(d.direct) ? 'rechtstreeks toegewezen' : '', list(d.groups) ? `via de groep ${list(d.groups)}` : ''].filter(Boolean).join(' en ');
      return `Zij krijgen ${plan} en houden ${other}${from ? ` (${from})` : ''}: twee pakketten waarvoor wordt betaald, met overlappende services. Daarmee blijven ${plural(n, `${other}-licentie`, `${other}-licenties`)} in gebruik naast ${plan}. Verwijder ${other} bij hen, of verplaats hen juist van ${other}.`;
    },
    // Adopt (rechtstreekse toewijzingen naar de groep)
    ADOPT_NO_DIRECT_COPIES: (d: D) => {
      const plan = str(d.plan) ?? 'het licentieplan';
      if (num(d.allKept))
        return `Iedereen die ${plan} rechtstreeks toegewezen heeft, houdt die licentie (zie hieronder) en de groep heeft het al: er zou niets veranderen. Accepteer het verlies voor hen, of zet die services eerst aan voor de groep.`;
      return `Geen lid van de groep heeft ${plan} rechtstreeks toegewezen, dus de groep heeft niets over te nemen${d.groupHasPlan ? ': ze krijgen het al via de groep' : ''}.${num(d.nested) ? ' Leden van geneste groepen tellen niet mee: licenties gaan alleen naar directe leden.' : ''}`;
    },
    ADOPT_GROUP_PLAN: (d: D) => {
      const plan = str(d.plan) ?? 'het licentieplan';
      const off = few(d.servicesOff);
      const how = off ? `met ${off} uitgeschakeld` : 'met alle services aan';
      const gainers = num(d.gainers) ?? 0;
      const from =
        d.disabledFrom === 'members'
          ? ', zoals de eigen licenties van de leden het hebben'
          : d.disabledFrom === 'union'
            ? ': hun eigen licenties verschillen, dus elke service die een van hen aan heeft, blijft aan'
            : '';
      const head = d.groupHasPlan ? `De groep heeft ${plan} al (${how}): alleen de eigen licenties van de leden verdwijnen.` : `De groep krijgt ${plan} ${how}${from}.`;
      const gain = gainers
        ? ` ${gainers === 1 ? 'Eén lid krijgt services erbij die' : `${gainers} leden krijgen services erbij die ze`} uitgeschakeld had${gainers === 1 ? '' : 'den'}.`
        : '';
      return `${head}${gain} Geen extra licenties: een licentieplan telt één keer per persoon, of het nu rechtstreeks toegewezen is, overgenomen van een groepslicentie, of allebei.`;
    },
    ADOPT_SERVICES_NOT_COVERED: (d: D) => {
      const services = few(d.services) ?? 'enkele services';
      return d.accepted
        ? `Geaccepteerd: hun eigen licentie verdwijnt, hoewel de groepslicentie ${services} uitschakelt, dus ze verliezen ${services}. Dat kan verlies van service of gegevens betekenen.`
        : `Hun eigen licentie heeft ${services} aan, en de groepslicentie schakelt dat uit: ze houden hun eigen licentie (het blijft één licentie). Accepteer het verlies om die toch te verwijderen, of zet die services aan voor de groep.`;
    },
    ADOPT_NEW_SEATS: (d: D) =>
      `${num(d.count) === 1 ? 'Eén lid heeft' : `${num(d.count) ?? 'Enkele'} leden hebben`} ${str(d.plan) ?? 'het licentieplan'} nu nergens vandaan: de groep geeft het hun ook, met ${plural(num(d.count) ?? 0, 'licentie', 'licenties')} extra (${num(d.available) ?? '?'} beschikbaar). Haal hen eerst uit de groep als ze het niet horen te krijgen.`,
    ADOPT_GROUP_COPY_CONFLICT: (d: D) =>
      `De groepslicentie krijgt bij hen een fout: die botst met ${list(d.skus) ?? 'een ander licentieplan'}, dat ze hebben (licentieconflict). Hun eigen licentie, als ze die hebben, blijft; los het conflict op en zet de leden daarna opnieuw over.`,
    // Reprocess (issue 13 part 5)
    REPROCESS_MEMBERS: (d: D) =>
      `${plural(num(d.count) ?? 0, 'lid', 'leden')} met een fout ${num(d.count) === 1 ? 'wordt' : 'worden'} opnieuw verwerkt${errors(d.byError) ? ` (${errors(d.byError)})` : ''}: Entra beoordeelt hun groepslicenties opnieuw. Wie de oorzaak kwijt is (licenties gekocht of vrijgemaakt, een gebruikslocatie ingesteld, een botsende licentie verwijderd) krijgt de licentie; de anderen houden hun fout, en het antwoord zegt waarom.`,
    NOTHING_TO_REPROCESS: (d: D) => `Niemand${str(d.name) ? ` in ${str(d.name)}` : ''} heeft nog een licentiefout via een groep: er valt niets opnieuw te verwerken.`,
  },
};
