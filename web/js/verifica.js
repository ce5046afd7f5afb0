// What the page «Verifica ricevuta» asks of the browser, for app.wasm to call: the bytes of a
// chosen file, and the text of a QR code in a photo or in the camera's frames. The browser's
// own BarcodeDetector reads the code where it can read QR codes; elsewhere jsQR (web/js/jsQR.js)
// is loaded, once, on first need. The signature is checked by app.wasm, not here.
(function () {
  "use strict";

  // Photos are scaled down to this many pixels on their longer side: a receipt's QR code stays
  // well above the few pixels per module a decoder needs, and jsQR stays fast on a phone.
  const maxSide = 2048;

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

  // candidates returns the regions of an RGBA image that look like a QR code, largest first:
  // blocks of cells about half dark, unlike text (thin strokes) and paper. jsQR alone often
  // fails on a photo of the whole receipt, whose lines of text it takes for finder patterns;
  // on the code's own region it does not.
  function candidates(data, width, height) {
    const cell = Math.max(4, Math.round(Math.max(width, height) / 160));
    const cols = Math.floor(width / cell), rows = Math.floor(height / cell);
    let sum = 0;
    for (let i = 0; i < width * height; i += 7) {
      sum += data[i * 4] + data[i * 4 + 1] + data[i * 4 + 2];
    }
    const threshold = (sum / Math.ceil(width * height / 7) / 3) * 0.75;
    const dense = new Uint8Array(cols * rows);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        let dark = 0, n = 0;
        for (let y = r * cell; y < (r + 1) * cell; y += 2) {
          for (let x = c * cell; x < (c + 1) * cell; x += 2) {
            const o = (y * width + x) * 4;
            if (data[o] + data[o + 1] + data[o + 2] < threshold * 3) dark++;
            n++;
          }
        }
        const f = dark / n;
        dense[r * cols + c] = f > 0.25 && f < 0.85 ? 1 : 0;
      }
    }
    // Connected blocks of dense cells (8-neighbours), as bounding boxes.
    const seen = new Uint8Array(cols * rows);
    const boxes = [];
    for (let i = 0; i < cols * rows; i++) {
      if (!dense[i] || seen[i]) continue;
      let x0 = cols, y0 = rows, x1 = 0, y1 = 0, count = 0;
      const stack = [i];
      seen[i] = 1;
      while (stack.length) {
        const j = stack.pop(), cx = j % cols, cy = (j - cx) / cols;
        count++;
        x0 = Math.min(x0, cx); x1 = Math.max(x1, cx); y0 = Math.min(y0, cy); y1 = Math.max(y1, cy);
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const nx = cx + dx, ny = cy + dy, k = ny * cols + nx;
            if (nx >= 0 && ny >= 0 && nx < cols && ny < rows && dense[k] && !seen[k]) {
              seen[k] = 1;
              stack.push(k);
            }
          }
        }
      }
      const w = x1 - x0 + 1, h = y1 - y0 + 1;
      if (w >= 4 && h >= 4 && w / h < 2 && h / w < 2 && count > 0.4 * w * h) {
        const m = Math.ceil(Math.max(w, h) * 0.15) + 1; // the quiet zone, and some slack
        boxes.push({
          x: Math.max(0, (x0 - m) * cell), y: Math.max(0, (y0 - m) * cell),
          w: Math.min(width, (x1 + 1 + m) * cell) - Math.max(0, (x0 - m) * cell),
          h: Math.min(height, (y1 + 1 + m) * cell) - Math.max(0, (y0 - m) * cell),
          size: count,
        });
      }
    }
    return boxes.sort((a, b) => b.size - a.size).slice(0, 4);
  }

  // crop copies a region of an RGBA image, scaled (bilinear) to side pixels on its longer
  // side: jsQR misreads modules of fewer than ~6 pixels, which a photo of a sheet often has.
  function crop(data, width, b, side) {
    const k = side / Math.max(b.w, b.h);
    const w = Math.round(b.w * k), h = Math.round(b.h * k);
    const out = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++) {
      const sy = Math.min(b.h - 1.001, Math.max(0, (y + 0.5) / k - 0.5));
      const y0 = Math.floor(sy), fy = sy - y0;
      for (let x = 0; x < w; x++) {
        const sx = Math.min(b.w - 1.001, Math.max(0, (x + 0.5) / k - 0.5));
        const x0 = Math.floor(sx), fx = sx - x0;
        const o = (y * w + x) * 4;
        const p00 = ((b.y + y0) * width + b.x + x0) * 4, p10 = p00 + 4, p01 = p00 + width * 4, p11 = p01 + 4;
        for (let c = 0; c < 3; c++) {
          out[o + c] = (data[p00 + c] * (1 - fx) + data[p10 + c] * fx) * (1 - fy) + (data[p01 + c] * (1 - fx) + data[p11 + c] * fx) * fy;
        }
        out[o + 3] = 255;
      }
    }
    return { data: out, w, h };
  }

  // scan tries jsQR on each region that looks like a code, enlarged, then on the whole image
  // (a close-up of the code, which fills it).
  function scan(jsQR, data, width, height) {
    const opts = { inversionAttempts: "dontInvert" };
    for (const b of candidates(data, width, height)) {
      const sub = crop(data, width, b, 800);
      const code = jsQR(sub.data, sub.w, sub.h, opts);
      if (code) return code.data;
    }
    const whole = jsQR(data, width, height, { inversionAttempts: "attemptBoth" });
    return whole ? whole.data : null;
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
    return scan(jsQR, img.data, img.width, img.height);
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
