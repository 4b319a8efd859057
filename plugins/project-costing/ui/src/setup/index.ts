// Setting up a tenant's projects: the page and the forms that create and change projects,
// activities, progress and cost rates.
import './page.js';
