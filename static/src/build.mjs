// Builds the front end into static/build/ (npm run build):
//   - static/src/scss/app.scss -> app.css, compressed (and api-docs.scss -> api-docs.css,
//     admin.scss -> admin.css);
//   - every image that app.css refers to, copied from GOV.UK Frontend or MoJ Frontend;
//   - the two packages' ES module bundles, and our own scripts and images.
// The GDS Transport fonts are never copied: a service off GOV.UK must not use them.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const source = join(root, "static/src");
const build = join(root, "static/build");
const govuk = join(root, "node_modules/govuk-frontend/dist/govuk");
const moj = join(root, "node_modules/@ministryofjustice/frontend/moj");
const imageSources = [join(source, "images"), join(govuk, "assets/images"), join(moj, "assets/images")];

rmSync(build, { recursive: true, force: true });
mkdirSync(join(build, "images"), { recursive: true });

// Styles. Warnings raised inside the packages (MoJ Frontend calling GOV.UK Frontend mixins
// that are deprecated) are theirs to fix; ours are still printed.
const raisedInPackage = (stack = "") => stack.trimStart().startsWith("node_modules/");
const { css } = sass.compile(join(source, "scss/app.scss"), {
  loadPaths: [root],
  style: "compressed",
  quietDeps: true,
  sourceMap: false,
  logger: {
    warn(message, { stack }) {
      if (!raisedInPackage(stack)) console.warn(`Sass warning: ${message}\n${stack ?? ""}`);
    },
  },
});
writeFileSync(join(build, "app.css"), css);
// The API documentation page's own stylesheet, over Swagger UI's (no images, no packages).
const apiDocs = sass.compile(join(source, "scss/api-docs.scss"), { style: "compressed", sourceMap: false });
writeFileSync(join(build, "api-docs.css"), apiDocs.css);
// The Django admin's own stylesheet, over the admin's (no images, no packages either).
const adminCss = sass.compile(join(source, "scss/admin.scss"), { style: "compressed", sourceMap: false });
writeFileSync(join(build, "admin.css"), adminCss.css);

// Images the stylesheet refers to. collectstatic's manifest storage fails on a reference to a
// missing file, so every one must exist; anything else (favicons, crests) stays out.
const referenced = new Set();
for (const [, url] of css.matchAll(/url\(["']?([^"')]+)["']?\)/g)) {
  if (url.startsWith("data:")) continue;
  if (!url.startsWith("images/")) throw new Error(`app.css refers to ${url}, outside images/`);
  referenced.add(url.slice("images/".length));
}
for (const name of referenced) {
  const from = imageSources.map((dir) => join(dir, name)).find((path) => existsSync(path));
  if (!from) throw new Error(`app.css refers to images/${name}, found in neither package`);
  copyFileSync(from, join(build, "images", name));
}
for (const name of readdirSync(join(source, "images"))) {
  copyFileSync(join(source, "images", name), join(build, "images", name));
}

// Scripts. The bundles end with a sourceMappingURL comment; the maps are not shipped, and
// collectstatic's manifest storage fails on a comment that points at a missing map.
const withoutSourceMap = (code) => code.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
const bundles = {
  "govuk-frontend.min.js": join(govuk, "govuk-frontend.min.js"),
  "moj-frontend.min.js": join(moj, "moj-frontend.min.js"),
};
for (const [name, from] of Object.entries(bundles)) {
  writeFileSync(join(build, name), withoutSourceMap(readFileSync(from, "utf8")));
}
for (const name of readdirSync(join(source, "js"))) {
  copyFileSync(join(source, "js", name), join(build, name));
}

console.log(`Built static/build: app.css, ${referenced.size} images, ${Object.keys(bundles).length} bundles.`);
