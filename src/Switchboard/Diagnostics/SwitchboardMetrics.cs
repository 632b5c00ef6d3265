using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Switchboard.Diagnostics;

/// <summary>
/// The one <c>Meter("Switchboard")</c>. Instruments are process-wide (like Kestrel's) and additive, so
/// several actor systems in one process (tests, a restart in the demo) add up instead of overwriting
/// each other: per-state endpoint counts are up-down counters moved on every transition.
/// </summary>
public static class SwitchboardMetrics
{
    /// <summary>The name of Switchboard's meter, for a metrics exporter's <c>AddMeter</c> or a <c>MeterListener</c>.</summary>
    public const string MeterName = "Switchboard";

    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;

    internal static readonly Meter Meter = new(MeterName, typeof(SwitchboardMetrics).Assembly.GetName().Version?.ToString());

    internal static readonly UpDownCounter<long> Endpoints = Meter.CreateUpDownCounter<long>(
        "switchboard.endpoints", "{endpoint}", "Endpoints by lifecycle state (tag: state).");

    internal static readonly Counter<long> Handshakes = Meter.CreateCounter<long>(
        "switchboard.tls.handshakes", "{handshake}", "Completed or failed TLS handshakes (tags: direction, result, resumed, protocol, ephemeral_key_exchange).");

    internal static readonly Histogram<double> HandshakeDuration = Meter.CreateHistogram<double>(
        "switchboard.tls.handshake.duration", "s", "Time from TCP connected (or accepted) to handshake completed.");

    internal static readonly Counter<long> ConnectFailures = Meter.CreateCounter<long>(
        "switchboard.connect.failures", "{failure}", "Failed connection attempts by cause (tag: cause).");

    internal static readonly Counter<long> LinksDropped = Meter.CreateCounter<long>(
        "switchboard.links.dropped", "{link}", "Links that were up and went down (tag: cause).");

    internal static readonly UpDownCounter<long> AdmissionQueueLength = Meter.CreateUpDownCounter<long>(
        "switchboard.admission.queue.length", "{endpoint}", "Endpoints waiting for a handshake slot.");

    internal static readonly UpDownCounter<long> ActiveHandshakes = Meter.CreateUpDownCounter<long>(
        "switchboard.admission.active", "{handshake}", "Handshake slots in use.");

    internal static readonly UpDownCounter<long> Links = Meter.CreateUpDownCounter<long>(
        "switchboard.io.links", "{link}", "Open sockets owned by IO actors (tag: direction).");

    internal static readonly Counter<long> ConnectionsRefused = Meter.CreateCounter<long>(
        "switchboard.listener.connections.refused", "{connection}", "Inbound connections reset before a handshake (tag: reason = pending_cap|address_cap|wait_deadline|descriptors).");

    internal static readonly Counter<long> MessagesSent = Meter.CreateCounter<long>(
        "switchboard.messages.sent", "{message}", "Frames written to live links.");

    internal static readonly Counter<long> MessagesFailed = Meter.CreateCounter<long>(
        "switchboard.messages.failed", "{message}", "Sends answered with SendFailed (tag: reason).");

    internal static readonly Counter<long> MessagesReceived = Meter.CreateCounter<long>(
        "switchboard.messages.received", "{message}", "Application frames received and handed on (to subscribers, or echoed); heartbeats excluded.");

    internal static readonly Counter<long> MessagesResent = Meter.CreateCounter<long>(
        "switchboard.messages.resent", "{message}", "Unacknowledged frames sent again on a new link, from where the peer reported delivery (acknowledged links only).");

    internal static readonly Counter<long> DuplicatesDropped = Meter.CreateCounter<long>(
        "switchboard.messages.duplicates", "{message}", "Resent copies of frames already delivered, dropped by the receiving side of an acknowledged link.");

    internal static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>(
        "switchboard.resumption.lookups", "{lookup}", "Client session lookups before an attempt (tag: result = hit|miss).");

    internal static readonly Counter<long> CacheEvictions = Meter.CreateCounter<long>(
        "switchboard.resumption.evictions", "{session}", "Sessions the cache let go of (tag: cause = expired|full|full_last|replaced|removed; full_last left an endpoint without a session).");

    internal static readonly Counter<long> ReplicaWrites = Meter.CreateCounter<long>(
        "switchboard.cluster.session_replica.writes", "{write}", "Endpoint sessions written to a majority of the masters (tag: result = ok|timeout|failed).");

    internal static readonly Counter<long> ReplicaBytes = Meter.CreateCounter<long>(
        "switchboard.cluster.session_replica.written", "By", "Bytes of endpoint sessions handed to DistributedData for a majority write (session DER and key).");

    internal static readonly Counter<long> ReplicaReads = Meter.CreateCounter<long>(
        "switchboard.cluster.session_replica.reads", "{read}", "Majority reads by an endpoint that moved to a master with no session for it (tag: result = hit|miss|foreign|failed; foreign = made under another certificate or CA).");

    // What the observable gauges read: every live cache, supervisor and gate (one each per actor system) adds
    // itself, and each gauge sums or lists over them.
    private static readonly Observed<Resumption.ResumptionGauges> Caches = new();
    private static readonly Observed<Supervision.CertificateExpiries> Expiries = new();
    private static readonly Observed<Func<int>> AdmissionLimits = new();

    /// <summary>The client session cache as gauges.</summary>
    internal static IDisposable ObserveCache(Resumption.ResumptionGauges gauges) => Caches.Add(gauges);

    /// <summary>Certificate and CRL expiry as gauges.</summary>
    internal static IDisposable ObserveExpiries(Supervision.CertificateExpiries expiries) => Expiries.Add(expiries);

    /// <summary>The admission limit as a gauge.</summary>
    internal static IDisposable ObserveAdmissionLimit(Func<int> limit) => AdmissionLimits.Add(limit);

    private static readonly ObservableGauge<long> CacheEntries = Meter.CreateObservableGauge(
        "switchboard.resumption.entries", () => Caches.Sum(c => c.Sessions), "{session}", "Client sessions held for resumption.");

    private static readonly ObservableGauge<long> CacheBytes = Meter.CreateObservableGauge(
        "switchboard.resumption.size", () => Caches.Sum(c => c.Bytes), "By", "Bytes the client session cache charges against its budget.");

    private static readonly ObservableGauge<long> CacheBudget = Meter.CreateObservableGauge(
        "switchboard.resumption.budget", () => Caches.Sum(c => c.Budget), "By", "The client session cache's byte budget (fixed, or what auto sized it to).");

    private static readonly ObservableGauge<long> EndpointsWithoutSession = Meter.CreateObservableGauge(
        "switchboard.resumption.endpoints_without_session", () => Caches.Sum(c => c.EndpointsWithoutSession), "{endpoint}",
        "Endpoints with no stored session: each pays a full handshake on its next attempt (recounted within 5 s of a change).");

    private static readonly ObservableGauge<double> CertificateExpiresIn = Meter.CreateObservableGauge(
        "switchboard.tls.certificate.expires_in", ExpiresIn, "s",
        "Seconds until the earliest agent certificate seen at a link up (whose = peer) and our own (whose = own) runs out.");

    private static readonly ObservableGauge<double> CrlNextUpdateIn = Meter.CreateObservableGauge(
        "switchboard.tls.crl.next_update_in", CrlStaleness, "s",
        "Seconds until the CRL in use passes its nextUpdate; negative once it is stale (then set aside, or with crl-required failing handshakes).");

    private static readonly ObservableGauge<long> AdmissionLimit = Meter.CreateObservableGauge(
        "switchboard.admission.limit", () => AdmissionLimits.Sum(l => l()), "{handshake}",
        "Handshakes allowed in flight now; moves with the adaptive limit (admission.limit = adaptive).");

    private static IEnumerable<Measurement<double>> CrlStaleness()
    {
        var now = DateTime.UtcNow;
        foreach (var expiries in Expiries.Snapshot())
        {
            if (expiries.CrlNextUpdate is { } next)
            {
                yield return new Measurement<double>((next - now).TotalSeconds);
            }
        }
    }

    private static IEnumerable<Measurement<double>> ExpiresIn()
    {
        var now = DateTime.UtcNow;
        foreach (var expiries in Expiries.Snapshot())
        {
            if (expiries.EarliestPeer is { } peer)
            {
                yield return new Measurement<double>((peer - now).TotalSeconds, new KeyValuePair<string, object?>("whose", "peer"));
            }

            if (expiries.Own is { } own)
            {
                yield return new Measurement<double>((own - now).TotalSeconds, new KeyValuePair<string, object?>("whose", "own"));
            }
        }
    }

    /// <summary>The live sources of one kind of gauge; adding returns what removes it again.</summary>
    private sealed class Observed<T>
        where T : class
    {
        private readonly List<T> _items = [];

        public IDisposable Add(T item)
        {
            lock (_items)
            {
                _items.Add(item);
            }

            return new Unregister(() =>
            {
                lock (_items)
                {
                    _items.Remove(item);
                }
            });
        }

        public T[] Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public long Sum(Func<T, long> pick) => Snapshot().Sum(pick);
    }

    private sealed class Unregister(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    /// <param name="ephemeralKeyExchange">False for a resumption without a fresh (EC)DHE exchange (TLS 1.2, or TLS 1.3
    /// psk_ke): an operator who allowed psk_ke sees here whether the peers take it.</param>
    internal static void HandshakeCompleted(string direction, bool resumed, string protocol, bool ephemeralKeyExchange, double seconds)
    {
        var tags = new TagList
        {
            { "direction", direction },
            { "result", "success" },
            { "resumed", Boxed(resumed) },
            { "protocol", protocol },
            { "ephemeral_key_exchange", Boxed(ephemeralKeyExchange) },
        };
        Handshakes.Add(1, tags);
        HandshakeDuration.Record(seconds, tags);
    }

    // Tags are objects: a bool boxed anew would cost every handshake an allocation per tag, listened to or not.
    private static object Boxed(bool value) => value ? BoxedTrue : BoxedFalse;

    internal static void HandshakeFailed(string direction, string cause)
    {
        Handshakes.Add(1, new TagList { { "direction", direction }, { "result", "failure" }, { "cause", cause } });
    }
}
