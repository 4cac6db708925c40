//! Camera input: frames from a V4L2 camera (built with the `camera` feature, pure-Rust
//! `linuxvideo`, no bindgen), turned to gray and read by the same pipeline as scans, on a named
//! thread that hands each newly seen code to the window.
//!
//! The frame conversions are always built, so they are tested on machines without a camera.

use image::GrayImage;

/// How a camera delivers frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameFormat {
    /// YUV 4:2:2, `Y0 U Y1 V`: the Y bytes are the gray picture.
    Yuyv,
    /// 8-bit gray.
    Grey,
    /// Motion JPEG: each frame a JPEG file.
    Mjpeg,
}

/// A frame as gray pixels; `None` when the bytes do not make a frame of this size.
pub fn to_gray(
    format: FrameFormat,
    data: &[u8],
    width: u32,
    height: u32,
    bytes_per_line: u32,
) -> Option<GrayImage> {
    let (w, h, stride) = (width as usize, height as usize, bytes_per_line as usize);
    match format {
        FrameFormat::Yuyv => {
            let stride = stride.max(w * 2);
            let mut out = Vec::with_capacity(w * h);
            for row in 0..h {
                let line = data.get(row * stride..row * stride + w * 2)?;
                out.extend(line.iter().step_by(2));
            }
            GrayImage::from_raw(width, height, out)
        }
        FrameFormat::Grey => {
            let stride = stride.max(w);
            let mut out = Vec::with_capacity(w * h);
            for row in 0..h {
                out.extend_from_slice(data.get(row * stride..row * stride + w)?);
            }
            GrayImage::from_raw(width, height, out)
        }
        FrameFormat::Mjpeg => crate::scan::load_gray(data, std::time::Duration::from_secs(2)).ok(),
    }
}

#[cfg(feature = "camera")]
pub use device::spawn;

#[cfg(feature = "camera")]
mod device {
    use std::path::{Path, PathBuf};
    use std::sync::mpsc::Sender;
    use std::time::{Duration, Instant};

    use linuxvideo::format::{PixFormat, PixelFormat};
    use linuxvideo::{BufType, Device};

    use super::{FrameFormat, to_gray};
    use crate::scan::Pipeline;

    /// Starts the "kiosk-camera" thread on `device`: it reads a frame, looks for a code with a
    /// short budget (no retries: the next frame is the retry), and sends each e-visa code it has
    /// not sent in the last 10 seconds, then calls `wake`. Errors end the thread after being sent
    /// as `Err` so the window can show them.
    pub fn spawn(
        device: PathBuf,
        codes: Sender<Result<String, String>>,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<std::thread::JoinHandle<()>> {
        std::thread::Builder::new()
            .name("kiosk-camera".to_owned())
            .spawn(move || {
                if let Err(error) = run(&device, &codes, &wake) {
                    let _ = codes.send(Err(format!("camera {}: {error}", device.display())));
                    wake();
                }
            })
    }

    fn run(
        path: &Path,
        codes: &Sender<Result<String, String>>,
        wake: &dyn Fn(),
    ) -> std::io::Result<()> {
        let device = Device::open(path)?;
        let offered: Vec<PixelFormat> = device
            .formats(BufType::VIDEO_CAPTURE)
            .filter_map(|f| f.ok().map(|f| f.pixel_format()))
            .collect();
        let (pixel_format, kind) = [
            (PixelFormat::YUYV, FrameFormat::Yuyv),
            (PixelFormat::MJPG, FrameFormat::Mjpeg),
            (PixelFormat::JPEG, FrameFormat::Mjpeg),
        ]
        .into_iter()
        .find(|(f, _)| offered.contains(f))
        .ok_or_else(|| std::io::Error::other(format!("no YUYV or MJPEG format in {offered:?}")))?;
        let capture = device.video_capture(PixFormat::new(1280, 720, pixel_format))?;
        let (width, height, bytes_per_line, negotiated) = {
            let f = capture.format();
            (f.width(), f.height(), f.bytes_per_line(), f.pixel_format())
        };
        let kind = if negotiated == PixelFormat::YUYV {
            FrameFormat::Yuyv
        } else {
            kind
        };
        let mut stream = capture.into_stream()?;
        let pipeline = Pipeline {
            retries: false,
            budget: Duration::from_millis(400),
            attempt_budget: Duration::from_millis(200),
            ..Pipeline::default()
        };
        let mut last: Option<(String, Instant)> = None;
        loop {
            let frame =
                stream.dequeue(|buf| Ok(to_gray(kind, &buf, width, height, bytes_per_line)))?;
            let Some(gray) = frame else { continue };
            let Ok(scan) = pipeline.scan_gray(gray, pipeline.budget) else {
                continue;
            };
            let Some(text) = scan.texts.into_iter().find(|t| t.starts_with("KZV")) else {
                continue;
            };
            let repeated = last
                .as_ref()
                .is_some_and(|(t, at)| *t == text && at.elapsed() < Duration::from_secs(10));
            if !repeated {
                last = Some((text.clone(), Instant::now()));
                if codes.send(Ok(text)).is_err() {
                    return Ok(());
                }
                wake();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuyv_frames_keep_their_luma_bytes_and_skip_row_padding() {
        // 2×2 pixels, rows padded to 6 bytes: Y0 U Y1 V pad pad.
        let data = [10, 128, 20, 128, 0, 0, 30, 128, 40, 128, 0, 0];
        let gray = to_gray(FrameFormat::Yuyv, &data, 2, 2, 6).expect("a frame");
        assert_eq!(gray.into_raw(), vec![10, 20, 30, 40]);
    }

    #[test]
    fn a_short_frame_is_no_frame() {
        assert_eq!(to_gray(FrameFormat::Grey, &[1, 2, 3], 2, 2, 2), None);
        assert_eq!(to_gray(FrameFormat::Mjpeg, b"not a jpeg", 2, 2, 0), None);
    }
}
