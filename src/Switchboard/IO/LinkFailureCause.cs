namespace Switchboard.IO;

/// <summary>Why a link failed or went down; the tag value of <c>switchboard.connect.failures</c> and the status's cause.</summary>
internal enum LinkFailureCause
{
    Dns,
    Refused,
    Unreachable,
    ConnectTimeout,
    HandshakeTimeout,
    Certificate,
    Identity,
    Protocol,
    PeerClosed,
    Reset,
    IdleTimeout,
    SendOverflow,
    FrameTooLarge,
    Closed,
    PendingLimit,
    Internal,
}

internal static class LinkFailureCauseNames
{
    public static string Tag(this LinkFailureCause cause) => cause switch
    {
        LinkFailureCause.Dns => "dns",
        LinkFailureCause.Refused => "refused",
        LinkFailureCause.Unreachable => "unreachable",
        LinkFailureCause.ConnectTimeout => "connect_timeout",
        LinkFailureCause.HandshakeTimeout => "handshake_timeout",
        LinkFailureCause.Certificate => "certificate",
        LinkFailureCause.Identity => "identity",
        LinkFailureCause.Protocol => "protocol",
        LinkFailureCause.PeerClosed => "peer_closed",
        LinkFailureCause.Reset => "reset",
        LinkFailureCause.IdleTimeout => "idle_timeout",
        LinkFailureCause.SendOverflow => "send_overflow",
        LinkFailureCause.FrameTooLarge => "frame_too_large",
        LinkFailureCause.Closed => "closed",
        LinkFailureCause.PendingLimit => "pending_limit",
        _ => "internal",
    };
}
