using Akka.Actor;
using Switchboard.IO;

namespace Switchboard.Tests.Support;

/// <summary>An inbound handler that tells a test actor what happens on its links, and echoes frames if asked.</summary>
internal sealed class ForwardingHandler(IActorRef target, bool echo = false) : InboundHandler
{
    public override void OnLinkUp(InboundLink link) => target.Tell(new Up(link.Id, link.PeerIdentity, link.Resumed));

    public override void OnFrame(InboundLink link, ReadOnlySpan<byte> payload)
    {
        target.Tell(new Io.FrameReceived(link.Id, payload.ToArray()));
        if (echo)
        {
            link.Send(payload);
        }
    }

    /// <summary>The reason is "tag: words", as an endpoint's last error; the tag names the cause.</summary>
    public override void OnLinkDown(InboundLink link, string reason)
    {
        var cause = Enum.GetValues<LinkFailureCause>().FirstOrDefault(c => reason.StartsWith(c.Tag() + ": ", StringComparison.Ordinal), LinkFailureCause.Internal);
        target.Tell(new Io.LinkDown(link.Id, new LinkFailure(cause, reason[(reason.IndexOf(": ", StringComparison.Ordinal) + 2)..])));
    }

    /// <summary>A link's handshake completed.</summary>
    public sealed record Up(long LinkId, string? PeerIdentity, bool Resumed);
}
