// `audio_input`: the browser's microphone, asked for when the user starts recording; the
// recording goes to the kernel as a WAV file (16-bit, one channel, at the sample rate the
// app asked for), as an upload does.

function wavFile(samples, rate) {
  const data = new DataView(new ArrayBuffer(44 + samples.length * 2));
  const text = (at, value) => [...value].forEach((c, i) => data.setUint8(at + i, c.charCodeAt(0)));
  text(0, "RIFF");
  data.setUint32(4, 36 + samples.length * 2, true);
  text(8, "WAVE");
  text(12, "fmt ");
  data.setUint32(16, 16, true);
  data.setUint16(20, 1, true); // PCM
  data.setUint16(22, 1, true); // one channel
  data.setUint32(24, rate, true);
  data.setUint32(28, rate * 2, true);
  data.setUint16(32, 2, true);
  data.setUint16(34, 16, true);
  text(36, "data");
  data.setUint32(40, samples.length * 2, true);
  samples.forEach((sample, i) => {
    const clipped = Math.max(-1, Math.min(1, sample));
    data.setInt16(44 + i * 2, clipped < 0 ? clipped * 0x8000 : clipped * 0x7fff, true);
  });
  return data;
}

async function toWav(blob, wanted) {
  const decoded = await new AudioContext().decodeAudioData(await blob.arrayBuffer());
  const rate = wanted || decoded.sampleRate;
  const length = Math.max(1, Math.ceil(decoded.duration * rate));
  const mixer = new OfflineAudioContext(1, length, rate); // resamples, and mixes to one channel
  const source = mixer.createBufferSource();
  source.buffer = decoded;
  source.connect(mixer.destination);
  source.start();
  const rendered = await mixer.startRendering();
  return wavFile(rendered.getChannelData(0), rate);
}

export default {
  render({ model, el }) {
    const label = document.createElement("div");
    label.className = "widget-label";
    const player = document.createElement("audio");
    player.controls = true;
    player.style.display = "none";
    const button = document.createElement("button");
    button.className = "jupyter-button widget-button";
    const problem = document.createElement("div");
    problem.className = "rk-device-problem";
    let recorder = null;
    let shown = null;

    const show = () => {
      label.textContent = model.get("description");
      label.style.display = model.get("description") ? "" : "none";
      label.title = model.get("tooltip") || "";
      const recorded = model.get("value").length > 0;
      button.disabled = model.get("disabled");
      button.textContent = recorded ? "Clear recording" : recorder ? "Stop" : "Record";
      if (shown) URL.revokeObjectURL(shown);
      shown = null;
      if (recorded) {
        const file = model.get("value")[0];
        shown = URL.createObjectURL(new Blob([file.content], { type: file.type }));
        player.src = shown;
      }
      player.style.display = recorded ? "" : "none";
    };

    button.onclick = async () => {
      problem.textContent = "";
      if (model.get("value").length) {
        model.set("value", []);
        model.save_changes();
        return;
      }
      if (recorder) {
        recorder.stop();
        return;
      }
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (error) {
        problem.textContent = `The microphone is not available: ${error.message}`;
        return;
      }
      const chunks = [];
      recorder = new MediaRecorder(stream);
      recorder.ondataavailable = event => chunks.push(event.data);
      recorder.onstop = async () => {
        stream.getTracks().forEach(track => track.stop());
        recorder = null;
        try {
          const content = await toWav(new Blob(chunks), model.get("sample_rate"));
          model.set("value", [{
            name: "audio.wav", type: "audio/wav", size: content.byteLength,
            last_modified: Date.now(), content,
          }]);
          model.save_changes();
        } catch (error) {
          problem.textContent = `The recording could not be read: ${error.message}`;
          show();
        }
      };
      recorder.start();
      show();
    };

    model.on("change:value change:disabled change:description change:tooltip", show);
    show();
    el.append(label, player, button, problem);
    return () => {
      model.off(null, show);
      if (recorder) recorder.stop();
      if (shown) URL.revokeObjectURL(shown);
    };
  },
};
