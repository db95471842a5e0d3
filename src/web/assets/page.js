// Small page behaviours, served as a static file so the CSP needs no inline script:
// copy buttons, local-time expiry, the credentials page's shell tabs and countdown, and the
// auto-submitting SAML POST form. Their words come from
// the page (data-copied, data-local-time on <body>), in the page's language (<html lang>).
(function () {
  const words = document.body.dataset;
  const lang = document.documentElement.lang || undefined;
  for (const button of document.querySelectorAll('[data-copy]')) {
    button.addEventListener('click', function () {
      const source = document.getElementById(button.getAttribute('data-copy'));
      if (!source || !navigator.clipboard) return;
      navigator.clipboard.writeText(source.textContent).then(function () {
        button.textContent = words.copied || 'Copied';
      });
    });
  }
  for (const time of document.querySelectorAll('time[datetime]')) {
    const date = new Date(time.getAttribute('datetime'));
    if (isNaN(date)) continue;
    const local = date.toLocaleString(lang);
    time.textContent = (words.localTime || '{time} (your local time)').replace('{time}', local);
  }
  shellTabs();
  countdown();
  const form = document.querySelector('form[data-autosubmit]');
  if (form) form.submit();

  // The credentials page's shells: without this script they are sections one below the other; with
  // it, a tab list (WAI-ARIA Authoring Practices "Tabs", automatic activation): arrows move between
  // tabs and show them, Home/End go to the ends, Tab leaves the list for the shown panel.
  function shellTabs() {
    const list = document.querySelector('[data-tablist]');
    if (!list) return;
    const tabs = Array.from(list.querySelectorAll('[data-tab]'));
    const panels = tabs.map(function (tab) {
      return document.getElementById(tab.getAttribute('data-tab'));
    });
    list.setAttribute('role', 'tablist');
    tabs.forEach(function (tab, i) {
      const panel = panels[i];
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-controls', panel.id);
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', tab.id);
      // The tab names the panel now; its heading would say it twice.
      const heading = panel.querySelector('h3');
      if (heading) heading.hidden = true;
      tab.addEventListener('click', function () {
        select(i);
      });
      tab.addEventListener('keydown', function (event) {
        const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
        if (next === undefined) return;
        event.preventDefault();
        select((next + tabs.length) % tabs.length);
        tabs[(next + tabs.length) % tabs.length].focus();
      });
    });
    function select(chosen) {
      tabs.forEach(function (tab, i) {
        tab.setAttribute('aria-selected', String(i === chosen));
        tab.tabIndex = i === chosen ? 0 : -1;
        panels[i].hidden = i !== chosen;
      });
    }
    // Windows users most likely want PowerShell; everyone else a POSIX shell.
    const windows = /Windows/.test(navigator.userAgent);
    select(Math.max(0, windows ? tabs.findIndex((t) => t.id === 'tab-powershell') : 0));
    list.hidden = false;
    list.parentElement.classList.add('tabbed');
  }

  // "Expires in 59 min": counts down from what the server rendered, with the same rule (whole
  // minutes rounded down, seconds in the last minute) and the page's own words (data-*). Time is
  // measured from page load (performance.now), so a wrong clock on the computer does not matter.
  function countdown() {
    const el = document.querySelector('[data-countdown]');
    if (!el) return;
    const w = el.dataset;
    const fill = function (template, values) {
      return template.replace(/\{(\w+)\}/g, function (whole, name) {
        return name in values ? String(values[name]) : whole;
      });
    };
    const serverLeft = Number(w.secondsLeft);
    if (!Number.isFinite(serverLeft)) return;
    const start = performance.now();
    function render() {
      const left = Math.floor(serverLeft - (performance.now() - start) / 1000);
      if (left <= 0) {
        el.textContent = w.expired;
        return false;
      }
      let remaining;
      if (left < 60) remaining = fill(w.seconds, { seconds: left });
      else {
        const hours = Math.floor(left / 3600);
        const minutes = Math.floor((left % 3600) / 60);
        remaining =
          hours === 0
            ? fill(w.minutes, { minutes: minutes })
            : minutes === 0
              ? fill(w.hours, { hours: hours })
              : fill(w.hoursMinutes, { hours: hours, minutes: minutes });
      }
      el.textContent = fill(w.template, { remaining: remaining });
      return true;
    }
    render();
    const timer = window.setInterval(function () {
      if (!render()) window.clearInterval(timer);
    }, 1000);
  }
})();
