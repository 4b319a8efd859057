// Setting up a tenant's stock: the page and the forms that create items, warehouses and locations.
import './page.js';
