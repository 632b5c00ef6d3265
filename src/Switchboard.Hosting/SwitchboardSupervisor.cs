namespace Switchboard.Hosting;

/// <summary>
/// The registry key of the connection supervisor: inject <c>IRequiredActor&lt;SwitchboardSupervisor&gt;</c>
/// and talk to it with Switchboard's messages (Send, GetStatus, Subscribe, ReplaceEndpoints ...).
/// </summary>
public sealed class SwitchboardSupervisor
{
    private SwitchboardSupervisor()
    {
    }
}
