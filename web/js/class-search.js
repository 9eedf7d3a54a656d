// A type-ahead search over the model's class names: any class can be explained, not only the
// top 5. The list follows what is typed; a click, or the arrow keys and Enter, picks a class.

// Classes whose name holds `query` (case-insensitive), those where it starts a word first, then
// by position in the model's order; a number finds that class index. → [{index, label}]
export function matchClasses(labels, query, limit = 8) {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const starts = [];
  const inside = [];
  labels.forEach((label, index) => {
    const name = label.toLowerCase();
    const at = name.indexOf(q);
    if (String(index) === q || at === 0 || (at > 0 && name.includes(` ${q}`)) || name.includes(`-${q}`)) starts.push({ index, label });
    else if (at > 0) inside.push({ index, label });
  });
  return [...starts, ...inside].slice(0, limit);
}

// input: a text input (role combobox), list: the listbox under it; labels() → the class names;
// pick(index) explains that class.
export function mountClassSearch(input, list, { labels, pick }) {
  let matches = [];
  let active = -1;

  const close = () => {
    matches = [];
    active = -1;
    list.replaceChildren();
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  };

  const render = () => {
    list.replaceChildren(
      ...matches.map(({ index, label }, i) => {
        const item = document.createElement('li');
        item.id = `${list.id}-${i}`;
        item.role = 'option';
        item.dataset.index = String(index);
        item.textContent = `${label} (${index})`;
        item.setAttribute('aria-selected', String(i === active));
        // mousedown, not click: the input keeps its focus until the class is picked.
        item.addEventListener('mousedown', (event) => {
          event.preventDefault();
          choose(i);
        });
        return item;
      }),
    );
    list.hidden = matches.length === 0;
    input.setAttribute('aria-expanded', String(matches.length > 0));
    if (active >= 0) input.setAttribute('aria-activedescendant', `${list.id}-${active}`);
    else input.removeAttribute('aria-activedescendant');
  };

  const choose = (i) => {
    const { index, label } = matches[i];
    input.value = label;
    close();
    pick(index);
  };

  input.addEventListener('input', () => {
    matches = matchClasses(labels(), input.value);
    active = matches.length ? 0 : -1;
    render();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close();
    if (!matches.length) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      active = (active + (event.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length;
      render();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      choose(Math.max(active, 0));
    }
  });
  input.addEventListener('blur', close);
  return {
    setValue: (text) => {
      input.value = text;
      close();
    },
  };
}
