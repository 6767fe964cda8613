// Import progress: polls the page's Status handler and updates the bar while the import runs.
// The page works without this (it refreshes itself inside <noscript>); this just makes it smoother.
(function () {
  var root = document.getElementById('import-progress');
  if (!root || root.getAttribute('data-active') !== 'true') return;
  var url = root.getAttribute('data-status-url');
  var bar = document.getElementById('import-bar');
  var count = document.getElementById('import-count');
  var status = document.getElementById('import-status');
  var message = document.getElementById('import-message');
  var n = new Intl.NumberFormat('en-GB');

  function poll() {
    fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { setTimeout(poll, 3000); return; }
        bar.value = s.percent;
        bar.textContent = s.percent + '%';
        count.textContent = n.format(s.imported) + ' of ' + n.format(s.valid) + ' valid rows imported (' + s.percent + '%), ' + n.format(s.classified) + ' classified.';
        status.textContent = s.label;
        message.textContent = s.message || '';
        if (s.active) setTimeout(poll, 1000);
        else window.location.reload(); // finished: show the links for the final state
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
