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
