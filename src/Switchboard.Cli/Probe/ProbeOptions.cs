using Switchboard.Tls;

namespace Switchboard.Cli.Probe;

internal sealed record ProbeOptions(
    string Name,
    string Host,
    int Port,
    int Count,
    TlsVersion? Version,
    bool Echo,
    string? SessionFile,
    TimeSpan TicketWait,
    TimeSpan EchoTimeout);
