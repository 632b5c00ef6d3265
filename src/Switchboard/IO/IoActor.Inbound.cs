using System.Diagnostics;
using System.Net.Sockets;
using Akka.Actor;
using Switchboard.Tls;

namespace Switchboard.IO;

/// <summary>
/// Inbound links: the listener only accepts; the server handshake runs here, under the pre-authentication
/// deadline (the handshake timeout), so a slow or silent client costs the accept path nothing.
/// </summary>
internal sealed partial class IoActor
{
    private void Accept(Io.AcceptLink command)
    {
        var socket = command.Socket;
        string remote;
        try
        {
            Configure(socket);
            remote = socket.RemoteEndPoint?.ToString() ?? "unknown peer";
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            socket.Dispose();
            command.Listener.Tell(new Io.InboundHandshakeEnded(command.LinkId, false));
            return;
        }

        var link = new Link(command.LinkId, socket, LinkDirection.Inbound, remote, Self, _io.MaxFrameSize)
        {
            Owner = command.Handler.Owner,
            Echo = command.Handler.Echo,
            Silent = command.Handler.Silent,
            Observer = command.Handler.Observer,
            Deliveries = command.Deliveries,
            Listener = command.Listener,
            Remote = socket.RemoteEndPoint,
            State = LinkState.Handshaking,
            HandshakeStartedAt = Stopwatch.GetTimestamp(),
        };
        Add(link);
        try
        {
            link.Tls = TlsConnection.CreateServer(command.Context);
        }
        catch (Exception e)
        {
            Fail(link, new LinkFailure(LinkFailureCause.Internal, $"cannot create TLS connection: {e.Message}"));
            return;
        }

        Timers.StartSingleTimer(new DeadlineKey(link.Id), new Deadline(link.Id, LinkState.Handshaking), _connection.HandshakeTimeout);
        link.WaitReadable();
    }
}
