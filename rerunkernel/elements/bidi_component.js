// The view of a Streamlit v2 component (`st.components.v2.component`) in a Jupyter output,
// loaded by anywidget: the component's HTML and CSS, in a shadow root when it isolates its
// styles, and its JavaScript module, whose default export is called with what Streamlit
// gives it ({ name, key, data, parentElement, setStateValue, setTriggerValue }).
//
// State and trigger values go to the kernel through the widget's `value` trait, whose change
// reruns the script: `{ state: {...}, trigger: { id, event, value } | null }`. A trigger
// carries an id of its own so that the same value sent twice is two events.
// A change of `data` calls the module again on the same elements (after the cleanup it
// returned), as Streamlit does on a rerun; a change of the HTML, CSS or JS draws it anew.
//
// Dataframes reach the module as in Streamlit: a dataframe given as `data` is its Arrow IPC
// bytes (a Uint8Array); a dict's dataframe values are `apache-arrow` Tables. Those come as
// widget buffers (`data_tables`) named by placeholders in the JSON, and are decoded with the
// library carried by the widget model `arrow` refers to (component_data.py, arrow_decoder.py).

// Streamlit's theme variables, which components style themselves with, from JupyterLab's
const THEME = `
  --st-primary-color: var(--jp-brand-color1, #ff4b4b);
  --st-background-color: var(--jp-layout-color0, #ffffff);
  --st-secondary-background-color: var(--jp-layout-color2, #f0f2f6);
  --st-text-color: var(--jp-ui-font-color1, #31333f);
  --st-link-color: var(--jp-content-link-color, #0068c9);
  --st-border-color: var(--jp-border-color1, #d6d6d9);
  --st-border-color-light: var(--jp-border-color2, #e6e6ea);
  --st-font: var(--jp-ui-font-family, sans-serif);
  --st-code-font: var(--jp-code-font-family, monospace);
  --st-base-radius: 0.5rem;
`;

// One module per source text, shared by every view of the same component
const modules = new Map();

function load(js) {
  let module = modules.get(js);
  if (module === undefined) {
    const url = URL.createObjectURL(new Blob([js], { type: "text/javascript" }));
    module = import(/* webpackIgnore: true */ url).finally(() => URL.revokeObjectURL(url));
    modules.set(js, module);
  }
  return module;
}

// The key of the JSON placeholder that stands for a table (Streamlit's)
const ARROW_REF = "__streamlit_arrow_ref__";
const MODEL_REF = "IPY_MODEL_";

// apache-arrow, from the model that carries its UMD bundle (`pageLibrary`, which
// page_library.py adds after this module)
async function arrowLibrary(model) {
  const ref = model.get("arrow");
  if (typeof ref !== "string" || !ref.startsWith(MODEL_REF)) {
    throw new Error("the data holds tables but no Arrow library came with it");
  }
  return pageLibrary(model, ref);
}

function bytes(view) {
  return view ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : null;
}

function isReference(value) {
  const object = value !== null && typeof value === "object" && !Array.isArray(value);
  return object && typeof value[ARROW_REF] === "string";
}

// the dict with each placeholder swapped for its table; a table that can't be decoded is
// null, as in Streamlit
async function withTables(model) {
  const value = model.get("data");
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const arrow = await arrowLibrary(model);
  const tables = model.get("data_tables") || {};
  const result = {};
  for (const [name, item] of Object.entries(value)) {
    if (!isReference(item)) {
      result[name] = item;
      continue;
    }
    const blob = tables[item[ARROW_REF]];
    try {
      result[name] = blob ? arrow.tableFromIPC(bytes(blob)) : null;
    } catch (error) {
      console.warn(`component ${model.get("component")}: data[${name}] is no Arrow table`, error);
      result[name] = null;
    }
  }
  return result;
}

// Streamlit's width and height: pixels, "stretch" (the output's), "content" (the component's)
function size(value) {
  if (typeof value === "number") return `${value}px`;
  return value === "stretch" ? "100%" : value === "content" ? "fit-content" : "";
}

function describe(error) {
  return error && error.stack ? String(error.stack) : String(error);
}

function render({ model, el }) {
  let host = null;
  let root = null; // the host's shadow root, or the host when styles are not isolated
  let cleanup = null;
  let errorBox = null;
  let drawn = 0; // counts draws, so a module that loads after a newer draw is dropped

  const showError = (where, error) => {
    console.error(`component ${model.get("component")}: ${where}`, error);
    if (root === null) return;
    if (errorBox === null || errorBox.parentNode !== root) {
      errorBox = document.createElement("pre");
      errorBox.className = "rk-bidi-error";
      errorBox.style.cssText =
        "color: var(--jp-error-color1, #b00020); background: var(--jp-error-color3, #fde7e9);" +
        "padding: 0.5em; white-space: pre-wrap; margin: 0;";
      root.appendChild(errorBox);
    }
    errorBox.textContent = `Component ${model.get("component")}: ${where}\n${describe(error)}`;
  };

  const runCleanup = () => {
    const done = cleanup;
    cleanup = null;
    if (typeof done === "function") {
      try {
        done();
      } catch (error) {
        showError("its cleanup function raised", error);
      }
    }
  };

  const setStateValue = (name, value) => {
    const current = model.get("value") || {};
    model.set("value", {
      state: { ...(current.state || {}), [name]: value },
      trigger: current.trigger ?? null,
    });
    model.save_changes();
  };

  const setTriggerValue = (name, value) => {
    const current = model.get("value") || {};
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    model.set("value", {
      state: current.state || {},
      trigger: { id, event: name, value: value === undefined ? null : value },
    });
    model.save_changes();
  };

  const data = async () => {
    const kind = model.get("data_kind");
    if (kind === "bytes" || kind === "arrow") return bytes(model.get("data_bytes"));
    if (kind === "mixed") return withTables(model);
    return model.get("data");
  };

  // call the module's default export (again, for new data) on the drawn elements
  const call = async () => {
    const draw = ++drawn;
    const js = model.get("js");
    if (!js) return;
    let module;
    try {
      module = await load(js);
    } catch (error) {
      if (draw === drawn) showError("its JavaScript failed to load", error);
      return;
    }
    if (draw !== drawn) return;
    const main = module.default;
    if (typeof main !== "function") {
      showError("its JavaScript has no default export function", typeof main);
      return;
    }
    let value;
    try {
      value = await data();
    } catch (error) {
      if (draw === drawn) showError("its data could not be read", error);
      return;
    }
    if (draw !== drawn) return;
    runCleanup();
    try {
      const result = await main({
        name: model.get("component"),
        key: model.get("instance_key"),
        data: value,
        parentElement: root,
        setStateValue,
        setTriggerValue,
      });
      if (draw === drawn) {
        cleanup = result;
        errorBox?.remove(); // a draw that works takes the last one's error away
        errorBox = null;
      } else if (typeof result === "function") {
        result();
      }
    } catch (error) {
      showError("its JavaScript raised", error);
    }
  };

  const mount = () => {
    runCleanup();
    drawn++;
    if (host !== null) host.remove();
    host = document.createElement("div");
    host.className = "rk-bidi-component";
    host.dataset.component = model.get("component");
    host.style.cssText = THEME;
    host.style.width = size(model.get("width"));
    // a height of "content" is the natural one (a block's height is its content's)
    host.style.height = model.get("height") === "content" ? "" : size(model.get("height"));
    host.style.overflow = model.get("height") === "content" ? "" : "auto";
    el.appendChild(host);
    // a shadow root keeps the component's CSS in and the notebook's out
    root = model.get("isolate_styles") ? host.attachShadow({ mode: "open" }) : host;
    const style = document.createElement("style");
    style.textContent = model.get("css") || "";
    root.appendChild(style);
    const content = document.createElement("div");
    content.innerHTML = model.get("html") || "";
    root.append(...content.childNodes);
    call();
  };

  mount();
  const events = {
    "change:html": mount, "change:css": mount, "change:js": mount,
    "change:isolate_styles": mount, "change:width": mount, "change:height": mount,
    "change:data": call, "change:data_bytes": call, "change:data_kind": call,
    "change:data_tables": call, "change:arrow": call,
  };
  for (const [name, handler] of Object.entries(events)) model.on(name, handler);
  return () => {
    for (const [name, handler] of Object.entries(events)) model.off(name, handler);
    drawn++;
    runCleanup();
  };
}

export default { render };
