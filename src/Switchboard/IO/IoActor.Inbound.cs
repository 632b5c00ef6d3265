using System.Diagnostics;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Switchboard.Tls;

namespace Switchboard.IO;

/// <summary>
/// Inbound links: the listener only accepts; the server handshake runs here, under the pre-authentication
/// deadline (the handshake timeout), so a slow or silent client costs the accept path nothing. Once up, a
/// link's events go to its <see cref="InboundHandler"/>, called here, on this actor's thread.
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

        var side = new Link.InboundSide(command.Handler, command.Listener, command.Deliveries);
        var link = Link.Accepted(command.LinkId, socket, remote, Self, _io.MaxFrameSize, side, _sockets);
        link.Remote = socket.RemoteEndPoint;
        link.Credit = command.Handler.Credit;
        link.State = LinkState.Handshaking;
        link.HandshakeStartedAt = Stopwatch.GetTimestamp();
        // An answer written from inside a handler call goes out with the rest of this message's output.
        side.Handle = new InboundLink(link.Id, Self, link.Remote, link.HandshakeStartedAt, payload =>
        {
            if (link.CanSend)
            {
                Encrypt(link, payload);
            }
        });
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

        ArmDeadline(link, LinkState.Handshaking, _connection.HandshakeTimeout);
        if (link.Watch() is var watched and not SocketError.Success)
        {
            Fail(link, new LinkFailure(LinkFailureCause.Internal, $"cannot watch the socket: {watched}"));
            return;
        }

        link.WaitReadable();
    }

    /// <summary>Runs a handler call with its link marked as the one this thread serves (see <see cref="InboundLink.Send"/>).</summary>
    private static void Call(Link.InboundSide side, Action<InboundHandler, InboundLink> call)
    {
        using (InboundLink.Enter(side.Handle))
        {
            call(side.Handler, side.Handle);
        }
    }

    /// <summary>The handler hears that its link went down; a throwing handler must not take the IO actor with it.</summary>
    private void TellLinkDown(Link.InboundSide side, LinkFailure failure)
    {
        try
        {
            side.Handler.OnLinkDown(side.Handle, failure.ToString());
        }
        catch (Exception e)
        {
            _log.Error(e, "the inbound handler failed on link {0} going down", side.Handle.Id);
        }
    }
}
