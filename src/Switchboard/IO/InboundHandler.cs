using Akka.Actor;

namespace Switchboard.IO;

/// <summary>
/// Who gets an inbound link's events. <see cref="Echo"/> answers every frame on the IO actor itself, so a
/// fleet of thousands of test agents costs no extra actor hop per frame.
/// </summary>
/// <param name="Silent">After the handshake, never send anything, heartbeats included (a fault mode for tests).</param>
/// <param name="Observer">Sees every frame delivered to the application, on the IO actor's thread (tests count with it).</param>
internal sealed record InboundHandler(IActorRef? Owner, bool Echo, bool Silent = false, FrameObserver? Observer = null)
{
    public static readonly InboundHandler EchoFrames = new(null, true);

    public static readonly InboundHandler SilentPeer = new(null, false, true);

    public static InboundHandler To(IActorRef owner) => new(owner, false);
}
