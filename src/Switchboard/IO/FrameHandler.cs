namespace Switchboard.IO;

/// <summary>Called once per decoded frame; the span is only valid during the call.</summary>
internal delegate void FrameHandler<in TState>(TState state, ReadOnlySpan<byte> payload);
