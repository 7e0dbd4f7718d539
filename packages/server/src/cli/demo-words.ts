/** Vocabulary for `crm seed --demo`: enough variety that a demo pipeline looks like a real team's. */

export const TEAM = [
  { username: 'admin', name: 'Avery Admin', role: 'admins', title: 'CRM administrator' },
  { username: 'maria.lopez', name: 'Maria Lopez', role: 'managers', title: 'Sales manager' },
  { username: 'james.wilson', name: 'James Wilson', role: null, title: 'Account executive' },
  { username: 'priya.patel', name: 'Priya Patel', role: null, title: 'Account executive' },
  { username: 'tom.nguyen', name: 'Tom Nguyen', role: null, title: 'Account executive' },
  { username: 'emma.brown', name: 'Emma Brown', role: null, title: 'Account executive' },
] as const;

export const EMAIL_DOMAIN = 'demo-crm.example.com';

export const INDUSTRIES: Record<string, readonly string[]> = {
  Software: ['Software', 'Systems', 'Labs', 'Analytics'],
  Manufacturing: ['Manufacturing', 'Industries', 'Works'],
  Healthcare: ['Health', 'Medical', 'Clinics'],
  Retail: ['Retail', 'Outfitters', 'Stores'],
  'Financial Services': ['Capital', 'Financial', 'Bancorp'],
  Logistics: ['Logistics', 'Freight', 'Shipping'],
  Education: ['Learning', 'Academy', 'Education'],
  Energy: ['Energy', 'Power', 'Solar'],
  Media: ['Media', 'Studios', 'Publishing'],
  Hospitality: ['Hotels', 'Hospitality', 'Resorts'],
  Construction: ['Builders', 'Construction', 'Engineering'],
  'Food & Beverage': ['Foods', 'Brewing', 'Kitchens'],
};

// prettier-ignore
export const COMPANY_STEMS = [
  'Northwind', 'Bluepeak', 'Silverline', 'Redwood', 'Brightpath', 'Ironbridge', 'Clearwater', 'Summit', 'Evergreen',
  'Harbor', 'Granite', 'Lumen', 'Nimbus', 'Orchard', 'Pioneer', 'Quantum', 'Riverstone', 'Sterling', 'Trailhead',
  'Vantage', 'Westfield', 'Apex', 'Beacon', 'Cobalt', 'Driftwood', 'Foxglove', 'Helix', 'Juniper', 'Keystone',
  'Maple', 'Meridian', 'Oakridge', 'Pinnacle', 'Sapphire', 'Tidewater', 'Willow', 'Copperleaf', 'Starling',
];

// prettier-ignore
export const CITIES = [
  ['Austin', 'TX', '787'], ['Denver', 'CO', '802'], ['Portland', 'OR', '972'], ['Chicago', 'IL', '606'],
  ['Boston', 'MA', '021'], ['Seattle', 'WA', '981'], ['Atlanta', 'GA', '303'], ['Minneapolis', 'MN', '554'],
  ['Raleigh', 'NC', '276'], ['San Diego', 'CA', '921'], ['Columbus', 'OH', '432'], ['Nashville', 'TN', '372'],
] as const;

// prettier-ignore
export const STREETS = ['Main St', 'Market St', 'Oak Ave', 'Commerce Dr', 'Harbor Blvd', 'Park Ave', 'Innovation Way', 'Elm St', 'Riverside Dr', 'Industrial Pkwy'];

// prettier-ignore
export const FIRST_NAMES = [
  'Olivia', 'Liam', 'Sophia', 'Noah', 'Isabella', 'Ethan', 'Mia', 'Lucas', 'Amelia', 'Mason', 'Harper', 'Logan',
  'Evelyn', 'Aiden', 'Abigail', 'Daniel', 'Ella', 'Henry', 'Grace', 'Samuel', 'Chloe', 'David', 'Zoe', 'Carlos',
  'Aisha', 'Kenji', 'Fatima', 'Mateo', 'Ingrid', 'Ravi', 'Hannah', 'Omar', 'Leah', 'Victor', 'Nora', 'Andre',
];

// prettier-ignore
export const LAST_NAMES = [
  'Anderson', 'Bennett', 'Carter', 'Diaz', 'Edwards', 'Foster', 'Garcia', 'Hughes', 'Ibrahim', 'Jensen', 'Kim',
  'Larsen', 'Morales', 'Nakamura', 'Okafor', 'Petrov', 'Quinn', 'Reyes', 'Schmidt', 'Tanaka', 'Usman', 'Vasquez',
  'Walsh', 'Xu', 'Young', 'Zimmerman', 'Singh', 'Rossi', 'Cohen', 'Murphy',
];

// prettier-ignore
export const JOB_TITLES = [
  'VP of Operations', 'Head of Procurement', 'IT Director', 'CFO', 'Operations Manager', 'Chief Technology Officer',
  'Purchasing Lead', 'Director of Sales', 'Office Manager', 'Head of Customer Success', 'COO', 'Finance Manager',
];

// prettier-ignore
export const CONTACT_NOTES = ['Prefers email.', 'Best reached in the mornings.', 'Decision maker.', 'Met at the spring trade show.', 'Champion for our product.', 'Needs sign-off from finance.'];

// prettier-ignore
export const PRODUCTS = [
  'CRM rollout', 'Annual support renewal', 'Analytics add-on', 'Data migration project', 'Onboarding package',
  'Enterprise license', 'Pilot program', 'Integration services', 'Training workshop', 'Premium support upgrade',
];

export const DEAL_NOTES: Record<string, readonly string[]> = {
  lead: ['Inbound request from the website.', 'Referred by an existing customer.', 'Downloaded the pricing guide.'],
  qualified: ['Budget confirmed for this quarter.', 'Pain point: manual reporting.', 'Evaluating two vendors.'],
  proposal: ['Proposal sent; awaiting feedback.', 'Custom pricing requested.', 'Security questionnaire in progress.'],
  negotiation: ['Legal reviewing the MSA.', 'Asked for a multi-year discount.', 'Procurement wants net-60 terms.'],
  won: ['Signed! Kickoff scheduled.', 'Closed after a successful pilot.', 'Won against the incumbent.'],
  lost: ['Lost on price.', 'Chose to build in-house.', 'Project postponed indefinitely.'],
};

// prettier-ignore
export const CALL_TOPICS = ['discovery call', 'pricing questions', 'follow-up on the demo', 'contract terms', 'renewal check-in', 'implementation timeline'];
// prettier-ignore
export const EMAIL_TOPICS = ['proposal', 'case study', 'pricing sheet', 'meeting recap', 'security documentation', 'onboarding plan'];
// prettier-ignore
export const MEETING_KINDS = ['Product demo', 'Quarterly business review', 'Kickoff meeting', 'Executive briefing', 'Technical deep-dive', 'On-site visit'];
// prettier-ignore
export const NOTE_TOPICS = ['Champion is changing roles', 'Competitor mentioned in the call', 'Budget cycle starts in Q3', 'Needs SSO before signing', 'Happy with the pilot so far'];
