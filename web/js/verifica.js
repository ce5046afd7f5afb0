// What the page «Verifica ricevuta» asks of the browser, for app.wasm to call: the bytes of a
// chosen file, and the text of a QR code in a photo or in the camera's frames. The browser's
// own BarcodeDetector reads the code where it can read QR codes; elsewhere jsQR (web/js/jsQR.js)
// is loaded, once, on first need. The signature is checked by app.wasm, not here.
(function () {
  "use strict";

  // Photos are scaled down to this many pixels on their longer side: a receipt's QR code stays
  // well above the few pixels per module a decoder needs, and jsQR stays fast on a phone.
  const maxSide = 1600;

  let jsQRLoading = null;
  function loadJsQR() {
    if (window.jsQR) {
      return Promise.resolve(window.jsQR);
    }
    if (!jsQRLoading) {
      jsQRLoading = new Promise((resolve, reject) => {
        const s = document.createElement("script");
        s.src = "/web/js/jsQR.js";
        s.onload = () => (window.jsQR ? resolve(window.jsQR) : reject(new Error("jsQR assente")));
        s.onerror = () => {
          jsQRLoading = null;
          reject(new Error("Il lettore di codici QR non si è caricato: apri la pagina una volta con la connessione."));
        };
        document.head.appendChild(s);
      });
    }
    return jsQRLoading;
  }

  let detector;
  async function nativeDetector() {
    if (detector !== undefined) {
      return detector;
    }
    detector = null;
    if ("BarcodeDetector" in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) {
          detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        }
      } catch (e) {
        detector = null;
      }
    }
    return detector;
  }

  const canvas = document.createElement("canvas");

  // decode reads a QR code from an image source (ImageBitmap, video) of width × height:
  // the text, or null when there is none.
  async function decode(source, width, height) {
    const d = await nativeDetector();
    if (d) {
      const found = await d.detect(source);
      return found.length ? found[0].rawValue : null;
    }
    const jsQR = await loadJsQR();
    const scale = Math.min(1, maxSide / Math.max(width, height));
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const g = canvas.getContext("2d", { willReadFrequently: true });
    g.drawImage(source, 0, 0, canvas.width, canvas.height);
    const img = g.getImageData(0, 0, canvas.width, canvas.height);
    const code = jsQR(img.data, img.width, img.height, { inversionAttempts: "attemptBoth" });
    return code ? code.data : null;
  }

  window.nullaostaQR = {
    // The decoder in use, for the page to say: "BarcodeDetector" or "jsQR".
    decoder: async () => ((await nativeDetector()) ? "BarcodeDetector" : "jsQR"),

    // readFile resolves to the file's bytes (Uint8Array).
    readFile: async (file) => new Uint8Array(await file.arrayBuffer()),

    // decodeImage resolves to the text of the QR code in an image file, or null.
    decodeImage: async (file) => {
      const bmp = await createImageBitmap(file);
      try {
        return await decode(bmp, bmp.width, bmp.height);
      } finally {
        bmp.close();
      }
    },

    // startCamera shows the camera in video and reads frames until one holds a QR code, then
    // stops the camera and calls onCode(text); onError(message) if the camera cannot start.
    // It returns a function that stops the camera.
    startCamera: (video, onCode, onError) => {
      let stopped = false;
      let stream = null;
      const stop = () => {
        stopped = true;
        if (stream) {
          stream.getTracks().forEach((t) => t.stop());
        }
        video.srcObject = null;
      };
      (async () => {
        if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
          throw new Error("Questo browser non dà accesso alla fotocamera: scegli una foto del codice o il PDF.");
        }
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
        if (stopped) {
          stop();
          return;
        }
        video.srcObject = stream;
        video.setAttribute("playsinline", "");
        video.muted = true;
        await video.play();
        while (!stopped) {
          if (video.readyState >= 2 && video.videoWidth > 0) {
            const text = await decode(video, video.videoWidth, video.videoHeight);
            if (text && !stopped) {
              stop();
              onCode(text);
              return;
            }
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      })().catch((e) => {
        stop();
        const denied = e && (e.name === "NotAllowedError" || e.name === "SecurityError");
        onError(denied
          ? "La fotocamera non è consentita: permetti l'accesso nelle impostazioni del browser, oppure scegli una foto del codice o il PDF."
          : (e && e.name === "NotFoundError")
            ? "Nessuna fotocamera trovata: scegli una foto del codice o il PDF."
            : String((e && e.message) || e));
      });
      return stop;
    },
  };
})();
