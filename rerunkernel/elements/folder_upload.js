// The folder upload button of `file_uploader(accept_multiple_files="directory")`: the
// browser's folder picker (an <input webkitdirectory>), whose files, those of the accepted
// types, go to the kernel as the widget's value, as ipywidgets' FileUpload sends files.

function accepts(accept, file) {
  if (!accept) return true;
  const name = file.name.toLowerCase();
  return accept.split(",").some(kind => kind.startsWith(".")
    ? name.endsWith(kind)
    : kind.endsWith("/*") ? file.type.startsWith(kind.slice(0, -1)) : file.type === kind);
}

export default {
  render({ model, el }) {
    const input = document.createElement("input");
    input.type = "file";
    input.webkitdirectory = true;
    input.multiple = true;
    input.style.display = "none";
    const button = document.createElement("button");
    button.className = "jupyter-button widget-button widget-upload";
    const show = () => {
      const count = model.get("value").length;
      button.textContent = `📁 ${model.get("description")} (${count})`;
      button.disabled = model.get("disabled");
      button.title = model.get("tooltip") || "";
    };
    button.onclick = () => input.click();
    input.onchange = async () => {
      const chosen = [...input.files].filter(file => accepts(model.get("accept"), file));
      const files = await Promise.all(chosen.map(async file => ({
        name: file.name,
        type: file.type,
        size: file.size,
        last_modified: file.lastModified,
        content: new DataView(await file.arrayBuffer()),
      })));
      model.set("value", files);
      model.save_changes();
      input.value = "";
    };
    model.on("change:value change:description change:disabled change:tooltip", show);
    show();
    el.append(button, input);
    return () => model.off(null, show);
  },
};
