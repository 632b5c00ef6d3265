using Akka.Actor;
using Switchboard.IO;

namespace Switchboard.Supervision;

/// <summary>
/// Links agents opened to our listener: their frames go to subscribers as <see cref="Received"/> under the
/// peer's certificate identity, and <see cref="Send"/> to a name with no outbound endpoint reaches the
/// inbound link of that identity.
/// </summary>
internal sealed partial class ConnectionSupervisor
{
    /// <summary>The listener's handler: the IO actors' calls, turned into messages to the supervisor.</summary>
    internal sealed class InboundLinks(IActorRef supervisor, FrameCredit frames) : InboundHandler
    {
        internal override FrameCredit Credit => frames;

        public override void OnLinkUp(InboundLink link) =>
            supervisor.Tell(new InboundUp(link.Id, link.PeerIdentity ?? link.Remote?.ToString() ?? $"link-{link.Id}", link.Io));

        public override void OnFrame(InboundLink link, ReadOnlySpan<byte> payload) =>
            supervisor.Tell(new Io.FrameReceived(link.Id, payload.ToArray()));

        public override void OnLinkDown(InboundLink link, string reason) => supervisor.Tell(new InboundDown(link.Id));

        internal override void OnUnsent(InboundLink link, ReadOnlyMemory<byte> payload, IActorRef? replyTo) =>
            supervisor.Tell(new Io.FrameNotWritten(link.Id, payload, replyTo));
    }

    private sealed record InboundUp(long LinkId, string Identity, IActorRef Io);

    private sealed record InboundDown(long LinkId);

    /// <returns>false when the message is not about inbound links.</returns>
    private bool Inbound(object message)
    {
        switch (message)
        {
            case InboundUp m:
                _inbound[m.LinkId] = (m.Identity, m.Io);
                // A newer link of the same agent wins; the older one will close by itself.
                _inboundByIdentity[m.Identity] = m.LinkId;
                return true;
            case Io.FrameReceived m:
                if (_inbound.TryGetValue(m.LinkId, out var link))
                {
                    _frames.FanOut(_subscribers.Frames, link.Identity, m.Payload);
                }
                else
                {
                    _frames.FanOut([], "", m.Payload); // the link went down meanwhile: its count is released
                }

                return true;
            case InboundDown m:
                if (_inbound.Remove(m.LinkId, out var gone) && _inboundByIdentity.TryGetValue(gone.Identity, out var current) && current == m.LinkId)
                {
                    _inboundByIdentity.Remove(gone.Identity);
                }

                return true;
            case Io.FrameNotWritten { ReplyTo: { } replyTo } m when !replyTo.IsNobody():
                var identity = _inbound.TryGetValue(m.LinkId, out var unsent) ? unsent.Identity : "inbound peer";
                replyTo.Tell(new SendFailed(identity, m.Payload, "the inbound link closed before the frame was written"));
                return true;
            case Io.FrameNotWritten:
                return true;
            default:
                return false;
        }
    }

    /// <returns>true when an inbound link of that identity took the frame.</returns>
    private bool TrySendInbound(Send send)
    {
        if (!_inboundByIdentity.TryGetValue(send.Endpoint, out var linkId) || !_inbound.TryGetValue(linkId, out var link))
        {
            return false;
        }

        link.Io.Tell(new Io.WriteFrame(linkId, send.Payload, Sender));
        return true;
    }
}
