// Swagger UI (the API documentation page) draws two <main> landmarks, the API's description
// and its operations, and heads each group of operations at level 3 under its level-1 title.
// Once it has drawn them: both named regions inside the page's one main landmark, and the
// groups' headings at level 2, so that landmarks and headings read in order.
function tidy(root) {
  root.querySelectorAll("main").forEach((main, index) => {
    if (main.getAttribute("role") !== "region") {
      main.setAttribute("role", "region");
      main.setAttribute("aria-label", index === 0 ? "About the API" : "Operations");
    }
  });
  const headings = root.querySelectorAll(
    "h3.opblock-tag:not([aria-level]), section.models > h4:not([aria-level])",
  );
  for (const heading of headings) {
    heading.setAttribute("role", "heading");
    heading.setAttribute("aria-level", "2");
  }
}

const root = document.getElementById("swagger-ui");
if (root) {
  new MutationObserver(() => tidy(root)).observe(root, { childList: true, subtree: true });
  tidy(root);
}
