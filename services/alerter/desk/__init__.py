"""The duty-desk page: `GET /` on the alerter, a map and list of incidents that updates live, built
on the read APIs (`services.alerter.read_api`). Static files only (HTML, CSS, JS modules, vendored
Leaflet); `page` renders the HTML and its security headers, `routes` mounts them."""
