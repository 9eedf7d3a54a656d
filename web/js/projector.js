// Projector mode: type of at least 20 px and the image, the map, the top-5 and Explain on one
// screen (style.css, html.projector). A button toggles it; ?projector=1 starts in it
// (page-boot.js sets the class before the page is drawn).
export function isProjector() {
  return document.documentElement.classList.contains('projector');
}

export function wireProjector(button, onChange) {
  const show = (on) => {
    document.documentElement.classList.toggle('projector', on);
    button.setAttribute('aria-pressed', String(on));
  };
  show(isProjector());
  button.addEventListener('click', () => {
    show(!isProjector());
    onChange();
  });
}
