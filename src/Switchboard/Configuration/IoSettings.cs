namespace Switchboard.Configuration;

/// <summary><c>switchboard.io</c>: the fixed IO-actor pool and its buffers.</summary>
/// <param name="Actors">Resolved count (0 in the file means one per processor).</param>
/// <param name="MaxSendBufferBytes">Ciphertext queued for a peer that does not read; beyond it the link is closed.</param>
public sealed record IoSettings(int Actors, int ReceiveBufferSize, int MaxSendBufferBytes, int MaxFrameSize);
