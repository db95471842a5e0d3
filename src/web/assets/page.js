// Small page behaviours, served as a static file so the CSP needs no inline script:
// copy buttons, local-time expiry, and the auto-submitting SAML POST form. Their words come from
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
  const form = document.querySelector('form[data-autosubmit]');
  if (form) form.submit();
})();
