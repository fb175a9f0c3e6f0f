// `camera_input`: the browser's camera, asked for when the user turns it on; a photo taken
// goes to the kernel as a JPEG file, as an upload does. Clearing it shows the camera again.

export default {
  render({ model, el }) {
    const label = document.createElement("div");
    label.className = "widget-label";
    const video = document.createElement("video");
    video.autoplay = video.muted = video.playsInline = true;
    const photo = document.createElement("img");
    for (const view of [video, photo]) {
      view.style.cssText = "display:none;width:100%;max-width:640px;border-radius:6px";
    }
    const button = document.createElement("button");
    button.className = "jupyter-button widget-button";
    const problem = document.createElement("div");
    problem.className = "rk-device-problem";
    let stream = null;
    let shown = null;

    const show = () => {
      label.textContent = model.get("description");
      label.style.display = model.get("description") ? "" : "none";
      label.title = model.get("tooltip") || "";
      const taken = model.get("value").length > 0;
      button.disabled = model.get("disabled");
      button.textContent = taken ? "Clear photo" : stream ? "Take photo" : "Turn on the camera";
      if (shown) URL.revokeObjectURL(shown);
      shown = null;
      if (taken) {
        const file = model.get("value")[0];
        shown = URL.createObjectURL(new Blob([file.content], { type: file.type }));
        photo.src = shown;
      }
      photo.style.display = taken ? "" : "none";
      video.style.display = !taken && stream ? "" : "none";
    };

    button.onclick = async () => {
      problem.textContent = "";
      if (model.get("value").length) {
        model.set("value", []);
        model.save_changes();
        return;
      }
      if (!stream) {
        const height = model.get("height");
        try {
          stream = await navigator.mediaDevices.getUserMedia({
            video: height ? { height: { ideal: height } } : true,
          });
        } catch (error) {
          problem.textContent = `The camera is not available: ${error.message}`;
          return;
        }
        video.srcObject = stream;
        await video.play();
        show();
        return;
      }
      const canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext("2d").drawImage(video, 0, 0);
      const blob = await new Promise(done => canvas.toBlob(done, "image/jpeg", 0.9));
      model.set("value", [{
        name: "image.jpg", type: "image/jpeg", size: blob.size, last_modified: Date.now(),
        content: new DataView(await blob.arrayBuffer()),
      }]);
      model.save_changes();
    };

    model.on("change:value change:disabled change:description change:tooltip", show);
    show();
    el.append(label, video, photo, button, problem);
    return () => {
      model.off(null, show);
      if (stream) stream.getTracks().forEach(track => track.stop());
      if (shown) URL.revokeObjectURL(shown);
    };
  },
};
