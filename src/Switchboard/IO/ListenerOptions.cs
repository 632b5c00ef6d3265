using System.Net;
using Switchboard.Tls;

namespace Switchboard.IO;

/// <summary>What one listener needs: where to bind, the server context, and who gets the links.</summary>
internal sealed record ListenerOptions(IPEndPoint Address, TlsContext Context, InboundHandler Handler, int MaxPendingHandshakes = 1000, int Backlog = 1024);
