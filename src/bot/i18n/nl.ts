// Alles wat de bot in het Nederlands zegt, met Microsofts eigen termen (zie shared/notes/dutch.md).
// Dezelfde sleutels als en.ts: de compiler controleert het.
import type { Messages } from './en';

type D = Record<string, unknown>;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const list = (v: unknown): string | undefined =>
  Array.isArray(v) && v.length ? v.map((x) => (typeof x === 'string' ? x : (x as { displayName?: string; name?: string })?.displayName ?? (x as { name?: string })?.name ?? String(x))).join(', ') : undefined;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

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
  },

  help: {
    title: 'Plan Switch',
    intro: 'Ik verplaats een gebruiker of groep van het ene Microsoft 365-licentieplan naar het andere in één gecombineerde wissel, zodat niemand service verliest. Een tweede beheerder keurt elke wijziging goed.',
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
      ['nieuw', 'een kaart die u stap voor stap helpt'],
    ],
    dutchHint: 'English works too: move group Sales to E3.',
    startButton: 'Nieuwe wijziging',
    plansButton: 'Licenties',
  },

  refuse: {
    otherTenant: 'Plan Switch werkt alleen voor de eigen organisatie. Activiteiten van een andere tenant worden geweigerd; er is niets gewijzigd.',
    unknownPerson: 'Sorry, ik kan u niet vinden in de directory van deze organisatie, dus ik kan niet namens u handelen. Vraag uw licentiebeheerder uw account te controleren. Er is niets gewijzigd.',
    noIdentity: 'Ik kan niet zien wie u bent (het bericht heeft geen Entra-object-id), dus ik kan er niets mee. Er is niets gewijzigd.',
    notAllowed: 'U mag dat niet doen. Er is niets gewijzigd.',
  },

  refusals: {
    unknown: (id: string) => `Er is geen wijzigingsaanvraag ${id}.`,
    not_approver: 'U bent geen goedkeurder voor licentiewijzigingen. Er is niets gewijzigd.',
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
  },

  errors: {
    generic: 'Er ging bij mij iets mis. Er is niets gewijzigd; probeer het zo nog eens.',
    graph: (msg: string) => `Microsoft Graph kon niet antwoorden: ${msg}. Er is niets gewijzigd.`,
    badCard: 'Deze kaart is beschadigd of verouderd (de gegevens ontbreken of kloppen niet). Begin opnieuw met "nieuw". Er is niets gewijzigd.',
    unknownVerb: (verb: string) => `Ik ken de kaartactie "${verb}" niet. Er is niets gewijzigd.`,
    malformedInvoke: 'De kaartactie kon niet worden gelezen. Er is niets gewijzigd.',
    staleCard: 'Deze kaart is verouderd: de aanvraag is inmiddels gewijzigd. Hier is de huidige stand. Er is niets gewijzigd.',
    unknownRequest: (id: string) => `Er is geen wijzigingsaanvraag ${id}.`,
    notUnderstood: (text: string) => `Ik begreep "${text}" niet. Typ "help" om te zien wat ik kan.`,
    missingPrincipal: 'Wie moet er verplaatst worden? Bijvoorbeeld: verplaats groep Verkoop naar E3.',
    missingTarget: 'Naar welk licentieplan? Bijvoorbeeld: verplaats groep Verkoop naar E3.',
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
    sourceAmbiguous: (name: string) => `${name} heeft meer dan één licentieplan. Welk licentieplan moet worden vervangen?`,
    invalidInput: (msg: string) => `Dat kan niet: ${msg}`,
    choose: 'Kiezen',
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
    memberCount: (n: number) => `${n} directe leden`,
    membersInError: (n: number) => `${n} leden met een fout`,
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
    seatsValue: (needed: number, available: number) => `${needed} nodig, ${available} beschikbaar`,
    kept: 'Services die blijven',
    lost: 'Services die verdwijnen',
    gained: 'Services die erbij komen',
    findingsTitle: 'Bevindingen',
    severity: { block: 'Blokkerend', warn: 'Waarschuwingen', info: 'Goed om te weten' },
    noFindings: 'Geen problemen gevonden.',
    blocked: 'Deze wijziging kan niet worden uitgevoerd totdat de blokkerende bevindingen zijn opgelost.',
    ready: 'Klaar: vraag een tweede beheerder om goedkeuring.',
    requestApproval: 'Goedkeuring aanvragen',
    cancel: 'Annuleren',
    includeDirect: 'Opnieuw controleren, inclusief rechtstreeks toegewezen kopieën',
    directIncluded: 'Rechtstreeks toegewezen kopieën van het bronlicentieplan bij leden worden in deze wijziging meegenomen.',
    cancelled: 'Geannuleerd. Er is niets gewijzigd.',
    recheck: 'Opnieuw controleren',
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
  },

  request: {
    statusTitle: (id: string) => `Wijzigingsaanvraag ${id}`,
    approvalTitle: (id: string) => `Goedkeuring nodig: wijzigingsaanvraag ${id}`,
    requestedBy: 'Aangevraagd door',
    approvedBy: 'Goedgekeurd door',
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
    },
    approve: 'Goedkeuren',
    reject: 'Afwijzen',
    cancelRequest: 'Aanvraag annuleren',
    undo: 'Ongedaan maken',
    refresh: 'Vernieuwen',
    open: 'Openen',
    reasonLabel: 'Reden (optioneel)',
    requested: (id: string) => `Wijzigingsaanvraag ${id} wacht op goedkeuring. De goedkeurders zijn gevraagd.`,
    approvedRunning: 'Goedgekeurd — wordt uitgevoerd…',
    rejectedBy: (who: string) => `Afgewezen door ${who}.`,
    reason: (r: string) => `Reden: ${r}`,
    cancelledBy: (who: string) => `Geannuleerd door ${who}. Er is niets gewijzigd.`,
    expiredNote: 'Niemand heeft deze aanvraag op tijd goedgekeurd. Er is niets gewijzigd.',
    waitingForOther: 'Wacht op goedkeuring door een andere beheerder.',
    youCannotApproveOwn: 'U hebt deze wijziging aangevraagd, dus iemand anders moet haar goedkeuren.',
    undoOf: (id: string) => `Maakt wijziging ${id} ongedaan`,
    progress: (state: string, seconds: number) => `Entra verwerkt de groep: ${state} (${seconds} s).`,
    started: 'De wissel wordt uitgevoerd…',
    worsened: 'De situatie is sinds de aanvraag veranderd: de nieuwe controle vond meer problemen, dus er is niets uitgevoerd.',
    noApprovers: 'Er zijn geen goedkeurders ingesteld (APPROVERS): niemand kan deze aanvraag goedkeuren.',
    undoRequested: (id: string, of: string) => `Ongedaan maken van wijziging ${of} aangevraagd als wijzigingsaanvraag ${id}; ook die moet worden goedgekeurd.`,
    notUndoable: (id: string) => `Wijziging ${id} kan niet ongedaan worden gemaakt.`,
  },

  result: {
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
    nextPartial: 'Los de genoemde oorzaken op en laat die gebruikers opnieuw verwerken in het Entra-beheercentrum (of verplaats ze opnieuw).',
    nextFailed: 'Los de oorzaak hierboven op en vraag de wijziging opnieuw aan.',
    error: (e: string) => `Waarom: ${e}`,
  },

  pending: {
    title: 'Wachten op goedkeuring',
    empty: 'Er wachten geen aanvragen op goedkeuring.',
  },

  history: {
    title: 'Recente wijzigingen',
    empty: 'Nog geen wijzigingen.',
    line: (id: string, who: string, from: string, to: string, state: string) => `#${id} ${who}: ${from} → ${to} — ${state}`,
  },

  findings: {
    SAME_PLAN: (_d: D) => 'Het bron- en doellicentieplan zijn hetzelfde.',
    SOURCE_NOT_ASSIGNED: (d: D) => `Het bronlicentieplan is hier niet toegewezen${str(d.plan) ? ` (${str(d.plan)})` : ''}: er valt niets te verplaatsen.`,
    SOURCE_INHERITED: (d: D) =>
      `Het bronlicentieplan is overgenomen van een groepslicentie${list(d.groups) ?? str(d.groupName) ? ` (${list(d.groups) ?? str(d.groupName)})` : ''}: het kan niet rechtstreeks bij de gebruiker worden verwijderd. Wijzig de groepslicentie of het groepslidmaatschap.`,
    SOURCE_ALSO_ELSEWHERE: (_d: D) =>
      'Sommige leden hebben het bronlicentieplan ook rechtstreeks toegewezen of via een andere groep. Zij houden het, en het nieuwe licentieplan zou dan voor hen mislukken. Neem hun rechtstreeks toegewezen kopieën mee in de wijziging, of verwijder ze eerst.',
    TARGET_ALREADY_ASSIGNED: (_d: D) => 'Heeft het doellicentieplan al: alleen het bronlicentieplan verdwijnt.',
    SEATS_SHORT: (d: D) =>
      `Niet genoeg beschikbare licenties: ${num(d.needed) ?? '?'} nodig, ${num(d.available) ?? '?'} beschikbaar. Koop er meer bij of maak er eerst vrij.`,
    TARGET_NOT_ACTIVE: (d: D) => `Het doelabonnement is niet actief${str(d.capabilityStatus) ? ` (${str(d.capabilityStatus)})` : ''}. Controleer het in het Microsoft 365-beheercentrum.`,
    TARGET_NOT_ASSIGNABLE: (_d: D) => 'Het doellicentieplan kan niet aan gebruikers worden toegewezen.',
    MUTUALLY_EXCLUSIVE: (d: D) =>
      `Een licentieconflict: ${list(d.plans) ?? 'een serviceplan'} kan niet samen met het doellicentieplan${str(d.conflictingSku) ?? str(d.sku) ? ` (via ${str(d.conflictingSku) ?? str(d.sku)})` : ''}.`,
    DEPENDENCY_BROKEN: (d: D) => `${str(d.plan) ?? 'Een service'} is afhankelijk van ${list(d.requiresAnyOf) ?? 'een service'} die door de wijziging verdwijnt.`,
    SERVICES_LOST: (d: D) => `Services die verloren gaan: ${list(d.services) ?? list(d.plans) ?? 'zie de lijst hierboven'}. Dit kan leiden tot verlies van service of gegevens.`,
    USAGE_LOCATION_MISSING: (d: D) =>
      str(d.fallback)
        ? `Geen gebruikslocatie: groepslicenties gebruiken het land van de tenant (${str(d.fallback)}).`
        : 'Geen gebruikslocatie: de licentie kan pas worden toegewezen als die is ingesteld.',
    GROUP_SYNCED: (_d: D) => 'De groep wordt on-premises beheerd en gesynchroniseerd: het lidmaatschap wordt daar beheerd en wijzigingen komen met vertraging door.',
    GROUP_DYNAMIC: (d: D) => `De groep heeft dynamisch groepslidmaatschap${str(d.membershipRule) ? ` (${str(d.membershipRule)})` : ''}: leden komen en gaan volgens de regel.`,
    GROUP_NOT_SECURITY: (_d: D) => 'Alleen beveiligingsgroepen kunnen licenties hebben, en deze groep is er geen.',
    NESTED_GROUPS: (_d: D) => 'De groep bevat andere groepen: hun leden krijgen via deze groep geen licenties.',
    GROUP_PROCESSING: (d: D) => `Entra verwerkt de licenties van deze groep nog${str(d.state) ? ` (${str(d.state)})` : ''}. Wacht tot dat klaar is.`,
    MEMBERS_IN_ERROR: (_d: D) => 'Sommige leden hebben al een licentiefout voor deze groep.',
  },
};
