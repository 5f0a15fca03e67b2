using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SbdServer.Tftp;

// Usage: SbdServer.Tftp.BenchHost --dir DIR [--Tftp:Port=16969 ...]
// The TFTP server alone with DIR as its static root: the boot-storm benchmark's measure of the protocol engine without
// the generated catalogue (bench/tftp-bootstorm.sh runs the real host for that).
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Tftp:Address"] = "127.0.0.1",
    ["Tftp:Port"] = "16969",
    ["Tftp:HttpEnabled"] = "false",
    ["Tftp:MaxSessionsPerClient"] = "0",       // every simulated phone is 127.0.0.1
    ["Tftp:MaxRequestsPerSecondPerClient"] = "0",
    ["Tftp:MaxTransferLogLinesPerSecond"] = "1",
});
builder.Configuration.AddCommandLine(args);
builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);

var dir = builder.Configuration["dir"] ?? throw new ArgumentException("--dir DIR is required");
builder.Configuration["Tftp:Root"] = dir;

builder.Services.AddSbdTftpServer(builder.Configuration);
using var host = builder.Build();
await host.StartAsync();
Console.WriteLine($"ready on {host.Services.GetRequiredService<TftpServerService>().LocalEndPoint}");
await host.WaitForShutdownAsync();
