using Akka.Actor;
using Akka.Event;
using Switchboard.Diagnostics;
using Switchboard.IO;

namespace Switchboard.Supervision;

/// <summary>A live link: frames both ways and the way down.</summary>
internal sealed partial class EndpointActor
{
    private void OnLinkUp(Io.LinkUp up)
    {
        _context.Admission.Release(_ticket, AdmissionGate.Outcome.Completed);
        Timers.Cancel(WatchdogTimer);
        _io = up.Io;
        _protocol = up.Handshake.Protocol;
        _peerNotAfter = up.Handshake.PeerNotAfterUtc ?? _peerNotAfter;
        _peerSerial = up.Handshake.PeerSerial ?? _peerSerial;
        _context.Expiries?.Track(_endpoint.Name, _peerNotAfter);
        WarnIfExpiring();
        if (up.Handshake.Resumed)
        {
            _resumedHandshakes++;
        }
        else
        {
            _fullHandshakes++;
        }

        _connectedSince = DateTimeOffset.UtcNow;
        _connectedAt = Now;
        _nextRetryAt = null;
        Context.Become(Connected);
        Transition(EndpointState.Connected);
        StartSending(up);
    }

    /// <summary>Once per certificate, when it enters tls.expiry-warning: an operator sees it before the link breaks.</summary>
    private void WarnIfExpiring()
    {
        if (_peerNotAfter is not { } notAfter || _peerSerial == _expiryWarnedSerial || notAfter - DateTime.UtcNow > _context.Settings.Tls.ExpiryWarning)
        {
            return;
        }

        _expiryWarnedSerial = _peerSerial;
        _log.Warning("switchboard: {0}'s certificate (serial {1}) expires on {2:u}, in {3:F1} days", _endpoint.Name, _peerSerial, notAfter, (notAfter - DateTime.UtcNow).TotalDays);
    }

    private void LinkLost(LinkFailure failure)
    {
        SwitchboardMetrics.LinksDropped.Add(1, new KeyValuePair<string, object?>("cause", failure.Cause.Tag()));
        // A link that stayed up for stable-after proved the endpoint healthy: backoff starts from the bottom
        // again. Judged here, when the link ends, so a live link costs no timer.
        if (Now - _connectedAt >= _context.Settings.Backoff.StableAfter)
        {
            _failures = 0;
        }

        _lastError = failure.ToString();
        _failures++;
        EnterBackoff();
    }

    private bool Connected(object message)
    {
        switch (message)
        {
            case Io.FrameReceived m when m.LinkId == _linkId:
                _context.Frames.FanOut(_subscribers.Frames, _endpoint.Name, m.Payload);
                return true;
            case Io.LinkDown m when m.LinkId == _linkId: LinkLost(m.Failure); return true;
            case Io.Acked m when m.LinkId == _linkId: OnAcked(m); return true;
            case ResumeOverdue m when m.LinkId == _linkId: OnResumeOverdue(m); return true;
            default: return Common(message);
        }
    }
}
