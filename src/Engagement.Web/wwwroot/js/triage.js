// Keyboard shortcuts for the triage workspace. Everything here is an enhancement: every action is an ordinary
// form button that works without JavaScript. Loaded as a module (no inline script, so a strict CSP is fine).

const items = () => Array.from(document.querySelectorAll('[data-triage-item]'))
let current = -1

const isTyping = (el) => el && (el.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) &&
  !(el.tagName === 'INPUT' && el.type === 'checkbox')

function select (index) {
  const list = items()
  if (list.length === 0) return
  current = Math.max(0, Math.min(index, list.length - 1))
  list.forEach((el, i) => el.classList.toggle('app-triage-item--current', i === current))
  const el = list[current]
  el.focus({ preventScroll: true })
  el.scrollIntoView({ block: 'start', behavior: 'smooth' })
}

function currentItem () {
  const list = items()
  if (current < 0) {
    // Start from the item holding focus, or the first one.
    const found = list.findIndex((el) => el.contains(document.activeElement))
    current = found >= 0 ? found : 0
  }
  return list[current]
}

function click (selector) {
  const item = currentItem()
  const button = item && item.querySelector(selector)
  if (button) button.click()
}

function focusField (key) {
  const item = currentItem()
  const field = item && item.querySelector(`[data-shortcut-focus="${key}"]`)
  if (!field) return
  const details = field.closest('details')
  if (details) details.open = true
  field.focus()
}

document.addEventListener('keydown', (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return
  if (isTyping(document.activeElement)) return
  if (items().length === 0) return
  switch (event.key) {
    case 'j': select(current + 1); break
    case 'k': select(current - 1); break
    case 'a': click('[data-shortcut="a"]'); break
    case 's': click('[data-shortcut="s"]'); break
    case 'b': click('[data-shortcut="b"]'); break
    case 'o': click('[data-shortcut="o"]'); break
    case 'g': focusField('g'); break
    case 't': focusField('t'); break
    case 'n': focusField('n'); break
    case 'x': {
      const box = currentItem()?.querySelector('[data-triage-select]')
      if (box) box.checked = !box.checked
      break
    }
    default: return
  }
  event.preventDefault()
})

// Clicking into an item makes it the current one, so shortcuts act where the triager is looking.
document.addEventListener('focusin', (event) => {
  const list = items()
  const index = list.findIndex((el) => el.contains(event.target))
  if (index >= 0 && index !== current) {
    current = index
    list.forEach((el, i) => el.classList.toggle('app-triage-item--current', i === current))
  }
})

document.documentElement.classList.add('app-triage-js')
