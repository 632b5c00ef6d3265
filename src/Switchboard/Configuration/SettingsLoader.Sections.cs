using System.Net;

namespace Switchboard.Configuration;

/// <summary>One reader per section of reference.conf; each records its problems and returns placeholders for bad values.</summary>
public static partial class SettingsLoader
{
    private const long KiB = 1024;
    private const long MiB = 1024 * KiB;
    private const long GiB = 1024 * MiB;
    private const int MaxIoActors = 1024;

    /// <summary>Per sub-cache floor: a session with its peer certificate is 1-2 KiB, so less could not hold even two.</summary>
    private const long MinBytesPerSubCache = 4 * KiB;

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>RFC 8446 §4.6.1: a TLS 1.3 ticket lives at most seven days.</summary>
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    private static IoSettings ReadIo(ConfigReader reader)
    {
        const string io = "switchboard.io";
        var actors = ResolveIoActors(reader.Int($"{io}.actors", 0, MaxIoActors));
        var receive = reader.Size($"{io}.receive-buffer-size", 1 * KiB, 16 * MiB);
        var maxSend = reader.Size($"{io}.max-send-buffer", 1 * KiB, 1 * GiB);
        var maxFrame = reader.Size($"{io}.max-frame-size", 1 * KiB, 1 * GiB);
        if (maxFrame > maxSend)
        {
            reader.Problem($"{io}.max-frame-size", $"must not exceed max-send-buffer ({Sizes.Format(maxSend)}), got {Sizes.Format(maxFrame)}: a frame that size could never be sent");
        }

        var reactor = reader.Text($"{io}.reactor");
        if (reactor is not null and not ("epoll" or "dotnet"))
        {
            reader.Problem($"{io}.reactor", $"must be \"epoll\" or \"dotnet\", got \"{reactor}\"");
        }

        return new IoSettings(actors, (int)receive, (int)maxSend, (int)maxFrame, reader.Size($"{io}.receive-window", 64 * KiB, 16 * GiB),
            reader.Int($"{io}.thread-nice", 0, 19), reader.Bool($"{io}.trim-native-heap"), EpollReactor: reactor != "dotnet",
            EndpointsOnIoThreads: reader.Bool($"{io}.endpoints-on-io-threads"),
            ResumptionCacheOnIoThreads: reader.Bool($"{io}.resumption-cache-on-io-threads"));
    }

    private static ConnectionSettings ReadConnection(ConfigReader reader)
    {
        const string c = "switchboard.connection";
        var heartbeat = reader.Duration($"{c}.heartbeat-interval", Day);
        var idle = reader.Duration($"{c}.idle-timeout", Day);
        if (heartbeat > TimeSpan.Zero && idle > TimeSpan.Zero && idle <= heartbeat)
        {
            reader.Problem($"{c}.idle-timeout", $"must be longer than heartbeat-interval ({Durations.Format(heartbeat)}), got {Durations.Format(idle)}: links would be closed between heartbeats");
        }

        return new ConnectionSettings(
            ConnectTimeout: reader.Duration($"{c}.connect-timeout", Day),
            HandshakeTimeout: reader.Duration($"{c}.handshake-timeout", Day),
            HeartbeatInterval: heartbeat,
            IdleTimeout: idle,
            TcpKeepAlive: reader.Bool($"{c}.tcp-keepalive"),
            SendQueueSize: reader.Int($"{c}.send-queue-size", 1, 10_000_000),
            CloseTimeout: reader.Duration($"{c}.close-timeout", Day),
            Acknowledgements: reader.Bool($"{c}.acknowledgements"),
            SendTimeout: reader.Duration($"{c}.send-timeout", Day));
    }

    private static BackoffSettings ReadBackoff(ConfigReader reader)
    {
        const string b = "switchboard.backoff";
        var min = reader.Duration($"{b}.min", Day);
        var max = reader.Duration($"{b}.max", Day);
        if (min > TimeSpan.Zero && max > TimeSpan.Zero && min > max)
        {
            reader.Problem($"{b}.min", $"must not exceed max ({Durations.Format(max)}), got {Durations.Format(min)}");
        }

        return new BackoffSettings(min, max, reader.Duration($"{b}.stable-after", Day));
    }

    private static AdmissionSettings ReadAdmission(ConfigReader reader, IoSettings io, ConnectionSettings connection)
    {
        const string a = "switchboard.admission";
        var mode = reader.Text($"{a}.limit");
        if (mode is not null and not ("adaptive" or "fixed"))
        {
            reader.Problem($"{a}.limit", $"must be \"adaptive\" or \"fixed\", got \"{mode}\"");
        }

        var concurrent = reader.Int($"{a}.max-concurrent-handshakes", 0, 1_000_000);
        var min = reader.Int($"{a}.adaptive.min", 0, 1_000_000);
        var max = reader.Int($"{a}.adaptive.max", 0, 1_000_000);
        var target = reader.Text($"{a}.adaptive.latency-target") == "auto" ? TimeSpan.Zero : reader.Duration($"{a}.adaptive.latency-target", Day);
        var perSecond = reader.Double($"{a}.handshakes-per-second", 0, 1_000_000);
        var inboundShare = reader.Double($"{a}.inbound-share", 0.01, 1);
        var start = concurrent > 0 ? concurrent : HandshakesPerIoActor * io.Actors;
        min = min > 0 ? min : AdaptiveMinPerIoActor * io.Actors;
        max = max > 0 ? max : AdaptiveMaxPerIoActor * io.Actors;
        if (min > max)
        {
            reader.Problem($"{a}.adaptive.min", $"must not exceed adaptive.max ({max}), got {min}");
        }

        if (target > TimeSpan.Zero && connection.HandshakeTimeout > TimeSpan.Zero && target >= connection.HandshakeTimeout)
        {
            reader.Problem($"{a}.adaptive.latency-target", $"must be shorter than connection.handshake-timeout ({Durations.Format(connection.HandshakeTimeout)}), got {Durations.Format(target)}: handshakes would time out before the limit saw congestion");
        }

        return new AdmissionSettings(
            Adaptive: mode != "fixed",
            MaxConcurrentHandshakes: start,
            AdaptiveMin: Math.Min(min, max),
            AdaptiveMax: max,
            LatencyTarget: target > TimeSpan.Zero ? target : connection.HandshakeTimeout / 4,
            HandshakesPerSecond: perSecond,
            InboundShare: inboundShare);
    }

    private static MetricsSettings ReadMetrics(ConfigReader reader)
    {
        const string m = "switchboard.metrics";
        IPEndPoint? prometheus = null;
        var host = reader.Text($"{m}.prometheus.host", required: false);
        var port = reader.Int($"{m}.prometheus.port", 0, 65535);
        var mutualTls = reader.Bool($"{m}.prometheus.mutual-tls");
        if (!string.IsNullOrWhiteSpace(host))
        {
            if (!EndpointRules.TryBindAddress(host, out var address, out var reason))
            {
                reader.Problem($"{m}.prometheus.host", reason);
            }
            else if (!IPAddress.IsLoopback(address) && !mutualTls && !reader.Bool($"{m}.prometheus.allow-non-loopback"))
            {
                reader.Problem($"{m}.prometheus.host", $"{host} is not a loopback address: without mutual-tls, /metrics and /status need no credentials and tell anyone who can reach them every endpoint's name and state; set mutual-tls = on (clients present a certificate from the CA bundle), put a reverse proxy with authentication in front, or set allow-non-loopback = on where the network is trusted");
            }
            else
            {
                prometheus = new IPEndPoint(address, port);
            }
        }

        Uri? otlp = null;
        var endpoint = reader.Text($"{m}.otlp.endpoint", required: false);
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                otlp = uri;
            }
            else
            {
                reader.Problem($"{m}.otlp.endpoint", $"must be an http:// or https:// URL (OTLP/HTTP, e.g. http://127.0.0.1:4318/v1/metrics), got '{endpoint}'");
            }
        }

        var interval = reader.Duration($"{m}.otlp.interval", Day);
        return new MetricsSettings(prometheus, otlp, interval > TimeSpan.Zero ? interval : TimeSpan.FromSeconds(10), reader.Double($"{m}.ready-share", 0, 1), mutualTls);
    }

    private static ListenerSettings ReadListener(ConfigReader reader)
    {
        const string l = "switchboard.listener";
        var host = reader.Text($"{l}.host", required: false);
        if (string.IsNullOrWhiteSpace(host))
        {
            host = null;
        }
        else if (!EndpointRules.TryBindAddress(host, out _, out var reason))
        {
            reader.Problem($"{l}.host", reason);
        }

        return new ListenerSettings(
            host,
            reader.Int($"{l}.port", 0, 65535),
            reader.Int($"{l}.max-pending-handshakes", 1, 1_000_000),
            reader.Int($"{l}.backlog", 1, 1_000_000),
            reader.Int($"{l}.max-pending-per-address", 1, 1_000_000));
    }

    private static ResumptionSettings ReadResumption(ConfigReader reader, FileResolver files)
    {
        const string r = "switchboard.resumption";
        var enabled = reader.Bool($"{r}.enabled");
        var persistPath = ReadPersistPath(reader, files, $"{r}.persist-path");
        var before = reader.ProblemCount;
        var maxBytes = reader.SizeOrAuto($"{r}.max-bytes", 64 * KiB, 64 * GiB);
        var subCaches = reader.Int($"{r}.sub-caches", 1, 4096);
        if (reader.ProblemCount == before && maxBytes is { } fixedBytes && fixedBytes / subCaches < MinBytesPerSubCache)
        {
            reader.Problem($"{r}.sub-caches", $"{subCaches} sub-caches leave {Sizes.Format(fixedBytes / subCaches)} each of max-bytes ({Sizes.Format(fixedBytes)}); each needs at least {Sizes.Format(MinBytesPerSubCache)}");
        }

        return new ResumptionSettings(
            enabled,
            persistPath,
            PersistInterval: reader.Duration($"{r}.persist-interval", Day),
            MaxBytes: maxBytes,
            MaxAge: reader.Duration($"{r}.max-age", Week),
            TicketsPerEndpoint: reader.Int($"{r}.tickets-per-endpoint", 1, 64),
            SubCaches: subCaches,
            TicketKeyRotation: reader.Duration($"{r}.ticket-key-rotation", Week),
            PersistTicketKeys: reader.Bool($"{r}.persist-ticket-keys"),
            MaxChainAge: reader.Duration($"{r}.max-chain-age", Week));
    }

    private static string? ReadPersistPath(ConfigReader reader, FileResolver files, string key)
    {
        var written = reader.Text(key, required: false);
        if (string.IsNullOrWhiteSpace(written))
        {
            return null;
        }

        var resolved = files.Resolve(written);
        if (Directory.Exists(resolved))
        {
            reader.Problem(key, $"is a directory, expected a file path: {files.Describe(written, resolved)}");
        }

        return resolved;
    }
}
