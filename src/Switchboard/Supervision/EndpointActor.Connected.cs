using Akka.Actor;
using Switchboard.Diagnostics;
using Switchboard.IO;

namespace Switchboard.Supervision;

/// <summary>A live link: frames both ways, the stable timer that resets backoff, and the way down.</summary>
internal sealed partial class EndpointActor
{
    private void OnLinkUp(Io.LinkUp up)
    {
        _context.Admission.Release(_ticket);
        Timers.Cancel(WatchdogTimer);
        _io = up.Io;
        _protocol = up.Handshake.Protocol;
        if (up.Handshake.Resumed)
        {
            _resumedHandshakes++;
        }
        else
        {
            _fullHandshakes++;
        }

        _connectedSince = DateTimeOffset.UtcNow;
        _nextRetryAt = null;
        Timers.StartSingleTimer(StableTimer, new Stable(_linkId), _context.Settings.Backoff.StableAfter);
        Become(Connected);
        Transition(EndpointState.Connected);
        StartSending(up);
    }

    private void LinkLost(LinkFailure failure)
    {
        Timers.Cancel(StableTimer);
        SwitchboardMetrics.LinksDropped.Add(1, new KeyValuePair<string, object?>("cause", failure.Cause.Tag()));
        _lastError = failure.ToString();
        _failures++;
        EnterBackoff();
    }

    private void Connected()
    {
        Receive<Io.FrameReceived>(m => m.LinkId == _linkId, m =>
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Tell(new Received(_endpoint.Name, m.Payload));
            }
        });
        Receive<Io.LinkDown>(m => m.LinkId == _linkId, m => LinkLost(m.Failure));
        Receive<Io.Acked>(m => m.LinkId == _linkId, OnAcked);
        Receive<ResumeOverdue>(m => m.LinkId == _linkId, OnResumeOverdue);
        Receive<Stable>(m => m.LinkId == _linkId, _ =>
        {
            // The link proved itself: the next drop starts backoff from the bottom again.
            _failures = 0;
        });
        Common();
    }
}
