// gitops-sync status pages: follow /api/events and swap <main> with the page fetched again, so the page
// updates without a reload. Without JavaScript (or without the stream) the page shows the state at load.
(function () {
  'use strict';
  if (!window.EventSource || !window.fetch || !window.DOMParser) {
    return;
  }
  var pending = false;
  var again = false;
  function refresh() {
    if (pending) {
      // an event during a fetch: fetch once more afterwards, so the last state is shown
      again = true;
      return;
    }
    pending = true;
    fetch(window.location.href, {credentials: 'same-origin', cache: 'no-store'})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) {
          return;
        }
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('main');
        var main = document.getElementById('main');
        if (fresh && main) {
          main.innerHTML = fresh.innerHTML;
        }
      })
      .catch(function () { /* the next event tries again */ })
      .then(function () {
        pending = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }
  var events = new EventSource('/api/events');
  ['cycle-started', 'stage-entered', 'cycle-finished'].forEach(function (type) {
    events.addEventListener(type, refresh);
  });
  window.gitopsSyncRefresh = refresh;
})();
