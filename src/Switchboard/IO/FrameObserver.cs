namespace Switchboard.IO;

/// <summary>Sees each application frame an inbound link delivers (not heartbeats, not dropped resent copies); the span is only valid during the call.</summary>
internal delegate void FrameObserver(ReadOnlySpan<byte> payload);
