using Microsoft.Extensions.Logging;
using SbdServer.Core.Provisioning;

namespace SbdServer.Tftp.Provisioning;

/// <summary>
/// What the generated-file catalogue reports while TFTP and HTTP 6970 serve its files, in the log; event ids
/// 4000-4099 (provisioning).
/// </summary>
internal sealed partial class ProvisioningLog(ILogger<ProvisioningLog> logger) : IProvisioningLog
{
    public void ItlOversized(string fileName, int bytes, int limit) => LogItlOversized(fileName, bytes, limit);

    public void BuildFailed(string fileName, string reason) => LogBuildFailed(fileName, reason);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "{FileName} is {Bytes} bytes, more than the {Limit} bytes older phones load; remove certificates from the ITL")]
    private partial void LogItlOversized(string fileName, int bytes, int limit);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Cannot build {FileName}: {Reason}; answering file not found")]
    private partial void LogBuildFailed(string fileName, string reason);
}
