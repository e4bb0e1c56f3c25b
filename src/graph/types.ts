// Graph v1.0 JSON shapes that Plan Switch reads and writes. Only the fields we $select.

export interface GraphAssignedLicense {
  skuId: string;
  disabledPlans: string[];
}

export type LicenseAssignmentStateValue = 'Active' | 'ActiveWithError' | 'Disabled' | 'Error' | string;
export type LicenseAssignmentError =
  'None' | 'CountViolation' | 'MutuallyExclusiveViolation' | 'DependencyViolation' | 'ProhibitedInUsageLocationViolation' | 'UniquenessViolation' | 'Other' | string;

export interface GraphLicenseAssignmentState {
  skuId: string;
  assignedByGroup: string | null;
  state: LicenseAssignmentStateValue;
  error: LicenseAssignmentError | null;
  disabledPlans: string[];
  lastUpdatedDateTime: string | null;
}

export interface GraphUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  usageLocation: string | null;
  accountEnabled: boolean;
  department?: string | null;
  assignedLicenses: GraphAssignedLicense[];
  licenseAssignmentStates: GraphLicenseAssignmentState[];
}

export interface GraphGroup {
  id: string;
  displayName: string;
  securityEnabled: boolean;
  groupTypes: string[];
  membershipRule: string | null;
  onPremisesSyncEnabled: boolean | null;
  assignedLicenses: GraphAssignedLicense[];
  licenseProcessingState: { state: string } | null;
}

export interface GraphServicePlanInfo {
  servicePlanId: string;
  servicePlanName: string;
  provisioningStatus?: string;
  appliesTo?: string;
}

export interface GraphSubscribedSku {
  id: string;
  skuId: string;
  skuPartNumber: string;
  appliesTo: string;
  capabilityStatus: string;
  consumedUnits: number;
  prepaidUnits: { enabled: number; suspended: number; warning: number; lockedOut?: number };
  servicePlans: GraphServicePlanInfo[];
}

export interface GraphOrganization {
  id: string;
  displayName: string;
  countryLetterCode: string | null;
}

export interface AssignLicenseBody {
  addLicenses: GraphAssignedLicense[];
  removeLicenses: string[];
}

/** Graph's error body: { error: { code, message } }. */
export interface GraphErrorBody {
  error: { code: string; message: string };
}
