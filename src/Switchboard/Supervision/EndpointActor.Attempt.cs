using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Switchboard.Diagnostics;
using Switchboard.IO;
using Switchboard.Resumption;

namespace Switchboard.Supervision;

/// <summary>One attempt: admission slot → DNS → resumption offer → TCP → handshake, under a watchdog.</summary>
internal sealed partial class EndpointActor
{
    private void RequestAdmission()
    {
        _nextRetryAt = null;
        _ticket = _context.Admission.Request(Self);
        Become(Queued);
        Transition(EndpointState.Queued);
    }

    private void Queued()
    {
        Receive<SlotGranted>(m => m.Ticket == _ticket, _ => StartAttempt());
        Common();
    }

    private void StartAttempt()
    {
        _attempts++;
        _linkId = LinkIds.Next();
        _io = null;
        var connection = _context.Settings.Connection;
        // The IO actor enforces connect and handshake deadlines itself; the watchdog only guarantees that
        // an answer lost anywhere (DNS, cache, a restarted IO actor) still ends the attempt.
        Timers.StartSingleTimer(WatchdogTimer, new AttemptWatchdog(_linkId), connection.ConnectTimeout * 2 + connection.HandshakeTimeout + TimeSpan.FromSeconds(5));
        Become(Connecting);
        Transition(EndpointState.Connecting);

        var linkId = _linkId;
        if (IPAddress.TryParse(_endpoint.Host, out var literal))
        {
            Self.Tell(new Resolved(linkId, [literal]));
            return;
        }

        // Asynchronous, and re-done on every attempt: agents move.
        Dns.GetHostAddressesAsync(_endpoint.Host).PipeTo(
            Self,
            success: addresses => new Resolved(linkId, addresses),
            failure: e => new ResolveFailed(linkId, e is SocketException se ? se.SocketErrorCode.ToString() : e.Message));
    }

    private void Connecting()
    {
        Receive<Resolved>(m => m.LinkId == _linkId, OnResolved);
        Receive<ResolveFailed>(m => m.LinkId == _linkId, m => AttemptFailed(new LinkFailure(LinkFailureCause.Dns, $"cannot resolve '{_endpoint.Host}': {m.Reason}")));
        Receive<SessionOffer>(m => m.LinkId == _linkId, m => Open(m.Session));
        Receive<Io.TcpConnected>(m => m.LinkId == _linkId, m =>
        {
            _io = m.Io;
            Transition(EndpointState.Handshaking);
        });
        Receive<Io.LinkUp>(m => m.LinkId == _linkId, OnLinkUp);
        Receive<Io.LinkFailed>(m => m.LinkId == _linkId, m => AttemptFailed(m.Failure));
        Receive<AttemptWatchdog>(m => m.LinkId == _linkId, _ =>
        {
            _io?.Tell(new Io.AbortLink(_linkId, new LinkFailure(LinkFailureCause.Internal, "watchdog")));
            AttemptFailed(new LinkFailure(LinkFailureCause.Internal, "attempt got no answer in time (watchdog)"));
        });
        Common();
    }

    private IPEndPoint? _address;

    private void OnResolved(Resolved resolved)
    {
        var address = resolved.Addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? resolved.Addresses.FirstOrDefault();
        if (address is null)
        {
            AttemptFailed(new LinkFailure(LinkFailureCause.Dns, $"'{_endpoint.Host}' resolved to no address"));
            return;
        }

        _address = new IPEndPoint(address, _endpoint.Port);
        if (_context.Cache is { } cache && _context.Settings.Resumption.Enabled)
        {
            cache.Tell(new TakeSession(ResumptionKey(), _linkId));
            return;
        }

        Open(null);
    }

    private void Open(Tls.TlsSession? session)
    {
        var useCache = _context.Cache is not null && _context.Settings.Resumption.Enabled;
        _context.IoPool.Tell(new Io.OpenLink(
            _linkId, _endpoint.Name, _address!, _context.Tls.Current, session,
            useCache ? ResumptionKey() : null, Self, useCache ? _context.Cache : null));
    }

    /// <summary>Endpoint name, address and our certificate: a renewed certificate or a moved endpoint starts afresh.</summary>
    private string ResumptionKey() => $"{_endpoint.Name}|{_endpoint.Host}:{_endpoint.Port}|{_context.Tls.Current.CertificateFingerprint}";

    private void AttemptFailed(LinkFailure failure)
    {
        _context.Admission.Release(_ticket);
        Timers.Cancel(WatchdogTimer);
        _failedHandshakes += failure.Cause is LinkFailureCause.Dns or LinkFailureCause.Refused or LinkFailureCause.Unreachable or LinkFailureCause.ConnectTimeout ? 0 : 1;
        SwitchboardMetrics.ConnectFailures.Add(1, new KeyValuePair<string, object?>("cause", failure.Cause.Tag()));
        _lastError = failure.ToString();
        _failures++;
        EnterBackoff();
    }

    private void EnterBackoff()
    {
        StopSending();
        _io = null;
        _connectedSince = null;
        var delay = _backoff.Next(_failures);
        _nextRetryAt = DateTimeOffset.UtcNow + delay;
        Timers.StartSingleTimer(RetryTimer, new Retry(), delay);
        Become(InBackoff);
        Transition(EndpointState.Backoff);
    }

    private void InBackoff()
    {
        Receive<Retry>(_ => RequestAdmission());
        Common();
    }
}
