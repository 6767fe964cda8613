import { initAll } from '/vendor/govuk-frontend/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

// Radios that reveal follow-up questions. GOV.UK Frontend's own reveal (data-aria-controls) puts aria-expanded on the
// radio, which ARIA does not allow on that role (govuk-frontend#979) and axe-core fails. The revealed fields come
// straight after their radio in reading and tab order, so showing and hiding them is all the script needs to do.
for (const radio of document.querySelectorAll('input[type="radio"][data-app-reveals]')) {
  const panel = document.getElementById(radio.dataset.appReveals)
  if (!panel) continue
  const sync = () => panel.classList.toggle('govuk-radios__conditional--hidden', !radio.checked)
  for (const other of document.querySelectorAll('input[type="radio"]')) {
    if (other.name === radio.name && other.form === radio.form) other.addEventListener('change', sync)
  }
  sync()
}
