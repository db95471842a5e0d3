// Small page behaviours, served as a static file so the CSP needs no inline script:
// copy buttons, local-time expiry, and the auto-submitting SAML POST form.
(function () {
  for (const button of document.querySelectorAll('[data-copy]')) {
    button.addEventListener('click', function () {
      const source = document.getElementById(button.getAttribute('data-copy'));
      if (!source || !navigator.clipboard) return;
      navigator.clipboard.writeText(source.textContent).then(function () {
        button.textContent = 'Copied';
      });
    });
  }
  for (const time of document.querySelectorAll('time[datetime]')) {
    const date = new Date(time.getAttribute('datetime'));
    if (!isNaN(date)) time.textContent = date.toLocaleString() + ' (your local time)';
  }
  const form = document.querySelector('form[data-autosubmit]');
  if (form) form.submit();
})();
