// An npm library an element's module needs (ECharts, apache-arrow), from the model-only
// widget that carries it (page_library.py). `ref` is that model's id, as a trait holds it
// (bare, or "IPY_MODEL_<id>" for a widget-valued trait). Each library runs once per page,
// from a blob URL, kept by its digest, so a kernel restart's new model with the same text
// reuses it; one that failed to load is tried again next time. A UMD bundle runs as a
// module with a CommonJS `module` of its own. Resolves to the library's exports.
// page_library.py adds this after each module that uses it: anywidget takes one text.

const PAGE_LIBRARIES = Symbol.for("rerunkernel.page_libraries");
const UMD_HEAD = "const module = { exports: {} }; const exports = module.exports;\n";
const UMD_TAIL = "\nexport default module.exports;\n";

async function pageLibrary(model, ref) {
  if (typeof ref !== "string" || ref === "") throw new Error("no library model was named");
  const carrier = await model.widget_manager.get_model(ref.replace(/^IPY_MODEL_/, ""));
  const digest = carrier.get("digest");
  const loaded = (globalThis[PAGE_LIBRARIES] ??= new Map());
  if (!loaded.has(digest)) {
    const umd = carrier.get("format") === "umd";
    const text = umd ? UMD_HEAD + carrier.get("source") + UMD_TAIL : carrier.get("source");
    const url = URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
    const library = import(/* webpackIgnore: true */ url).then(m => (umd ? m.default : m));
    loaded.set(digest, library);
    library.catch(() => loaded.delete(digest)).finally(() => URL.revokeObjectURL(url));
  }
  return loaded.get(digest);
}
