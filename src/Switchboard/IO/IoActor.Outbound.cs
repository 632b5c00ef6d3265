using System.Diagnostics;
using System.Net.Sockets;
using Akka.Actor;
using Switchboard.Tls;

namespace Switchboard.IO;

/// <summary>Outbound links: connect under a deadline, then start the client handshake.</summary>
internal sealed partial class IoActor
{
    private void Open(Io.OpenLink command)
    {
        var side = new Link.OutboundSide(command.Owner, command.ResumptionKey, command.SessionSink, command.ResumeChain, command.Delivery);
        Link link;
        try
        {
            var family = command.Address.AddressFamily;
            link = _sockets is null
                ? Link.Dialed(command.LinkId, Configure(new Socket(family, SocketType.Stream, ProtocolType.Tcp)), command.EndpointName, Self, _io.MaxFrameSize, side)
                : Link.Dialed(command.LinkId, SocketDescriptor.Open(family, _connection.TcpKeepAlive), command.EndpointName, Self, _io.MaxFrameSize, side, _sockets);
        }
        catch (SocketException e)
        {
            command.Resume?.Dispose();
            command.Owner.Tell(new Io.LinkFailed(command.LinkId, new LinkFailure(LinkFailureCause.Internal, $"cannot create socket: {e.Message}"), false));
            return;
        }

        link.Remote = command.Address;
        link.Credit = command.Credit;
        link.State = LinkState.Connecting;
        Add(link);
        Context.Watch(command.Owner);
        try
        {
            // SSL_set_session takes its own reference; the offered session is ours to free either way.
            link.Tls = TlsConnection.CreateClient(command.Context, command.EndpointName, command.Resume);
        }
        catch (Exception e)
        {
            Fail(link, new LinkFailure(LinkFailureCause.Internal, $"cannot create TLS connection: {e.Message}"));
            return;
        }
        finally
        {
            command.Resume?.Dispose();
        }

        ArmDeadline(link, LinkState.Connecting, _connection.ConnectTimeout);
        link.BeginConnect(command.Address);
    }

    private void OnConnected(Link link, SocketError error)
    {
        if (link.State != LinkState.Connecting)
        {
            return;
        }

        if (error != SocketError.Success)
        {
            Fail(link, ConnectFailure(link, error));
            return;
        }

        link.State = LinkState.Handshaking;
        link.HandshakeStartedAt = Stopwatch.GetTimestamp();
        ArmDeadline(link, LinkState.Handshaking, _connection.HandshakeTimeout);
        link.Outbound!.Owner.Tell(new Io.TcpConnected(link.Id, Self));

        _toSend.ResetWrittenCount();
        var progress = link.Tls!.Start(_toSend);
        if (!Apply(link, progress))
        {
            return;
        }

        link.WaitReadable();
    }

    /// <summary>The options of every link with a .NET socket (accepted, or on .NET's engine); a bare descriptor gets the same in <see cref="SocketDescriptor.Open"/>.</summary>
    private Socket Configure(Socket socket)
    {
        socket.NoDelay = true;
        // Reads and writes from the actor must never wait; async operations are unaffected.
        socket.Blocking = false;
        if (_connection.TcpKeepAlive)
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, SocketDescriptor.KeepAliveIdleSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, SocketDescriptor.KeepAliveIntervalSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, SocketDescriptor.KeepAliveProbes);
        }

        return socket;
    }

    private LinkFailure ConnectFailure(Link link, SocketError error) => error switch
    {
        SocketError.ConnectionRefused => new(LinkFailureCause.Refused, $"connection refused by {link.Remote}"),
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.HostDown
            => new(LinkFailureCause.Unreachable, $"{link.Remote} unreachable ({error})"),
        SocketError.TimedOut => new(LinkFailureCause.ConnectTimeout, $"TCP connect to {link.Remote} timed out"),
        _ => new(LinkFailureCause.Reset, $"TCP connect to {link.Remote} failed: {error}"),
    };
}
