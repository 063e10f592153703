// Builds the map page and the offline API docs into the Python package (src/sitrep/server/static/).
// Run with `npm ci && npm run build`; nothing here is fetched at run time.
import { build } from "esbuild";
import { cpSync, mkdirSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "sitrep", "server", "static");
const modules = join(here, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "docs"), { recursive: true });

await build({
  entryPoints: [join(here, "src", "main.js")],
  bundle: true,
  minify: true,
  sourcemap: false,
  target: ["es2020"],
  outfile: join(out, "app.js"),
  loader: { ".png": "file" },
  assetNames: "img/[name]",
  legalComments: "linked",
});

// Leaflet's stylesheet and the page's own, in one file
const css = readFileSync(join(modules, "leaflet", "dist", "leaflet.css"), "utf8") +
  "\n" + readFileSync(join(here, "src", "style.css"), "utf8");
writeFileSync(join(out, "app.css"), css);
cpSync(join(here, "src", "index.html"), join(out, "index.html"));
cpSync(join(modules, "leaflet", "dist", "images"), join(out, "images"), { recursive: true });

// the basemap: Natural Earth's countries at 1:50m, as TopoJSON
cpSync(join(modules, "world-atlas", "countries-50m.json"), join(out, "countries-50m.json"));
cpSync(join(modules, "world-atlas", "LICENSE"), join(out, "world-atlas.LICENSE"));

// Swagger UI for /docs
for (const name of ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "LICENSE"]) {
  cpSync(join(modules, "swagger-ui-dist", name), join(out, "docs", name));
}
console.log(`built ${out}`);
