export { announceIssues } from './announce.js';
export { events, IssueCosted, IssueRecosted } from './schemas.js';
