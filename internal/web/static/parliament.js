// The live session page: polls the session's JSON with its ETag every two
// seconds (a 304 costs nothing) and, when the session changed, replaces
// the live part of the page with the fresh one — unless the secretary is
// typing in a form, in which case it waits.
(function () {
  var live = document.getElementById("live");
  if (!live) return;
  var url = live.dataset.poll, etag = live.dataset.etag, busy = false;
  function typing() {
    var a = document.activeElement;
    return a && (a.tagName === "INPUT" || a.tagName === "TEXTAREA" || a.tagName === "SELECT") && a.type !== "hidden";
  }
  function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    fetch(url, { headers: { "If-None-Match": etag }, credentials: "same-origin" }).then(function (r) {
      if (r.status !== 200 || typing()) return;
      var next = r.headers.get("ETag");
      return fetch(location.pathname, { credentials: "same-origin" }).then(function (p) { return p.text(); }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("live");
        if (fresh && !typing()) {
          live.innerHTML = fresh.innerHTML;
          etag = next || fresh.dataset.etag;
        }
      });
    }).catch(function () {}).finally(function () { busy = false; });
  }
  setInterval(refresh, 2000);
})();
