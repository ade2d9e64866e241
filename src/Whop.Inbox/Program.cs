using Whop.Inbox;
using Whop.Inbox.Admission;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Components;
using Whop.Inbox.Data;
using Whop.Inbox.DirectMessages;
using Whop.Inbox.Embedding;
using Whop.Inbox.Files;
using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Notifications;
using Whop.Inbox.Observability;
using Whop.Inbox.Support;
using Whop.Inbox.Team;
using Whop.Inbox.Webhooks;

// Moving up from the embedded database: see Data/DatabaseCopy.cs and docs/databases.md, "Moving up: from SQLite to PostgreSQL".
if (args is [DatabaseCopy.Command, ..]) return await DatabaseCopy.RunAsync(args[1..], Console.Out);

var builder = WebApplication.CreateBuilder(args);
// Serves the framework's and packages' static files (blazor.web.js, …) from the build output in every
// environment, not only Development; published output has them in wwwroot and this does nothing.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.AddInboxData();
builder.AddAdmission();
builder.AddTelemetry();
builder.AddInboxIdentity();
builder.AddInboxHealth();
builder.AddReverseProxySupport();
builder.AddInboxApi();
builder.AddTeam();
builder.AddAudit();
builder.AddMessaging();
builder.AddFiles();
builder.AddSupport();
builder.AddDirectMessages();
builder.AddEmbedding();
builder.AddWebhooks();
builder.AddNotifications();
builder.AddInboxUi();

var app = builder.Build();

app.UsePrometheusPort();
app.UseReverseProxySupport();
app.UseInboxErrorHandling();
app.UseSecurityHeaders();
app.UseStatementCounting();
app.UseEmbedFraming();
app.UseAuthentication();
app.UseApiCredentials();
app.UseRateLimiter();
app.UseAdmission();
app.UseAuthorization();
app.UseAntiforgery();

app.MapInboxHealth();
app.MapMemoryDiagnostics();
app.MapStatementDiagnostics();
app.MapMetrics();
app.MapInboxApi();
app.MapFiles();
app.MapChatHub();
app.MapInboxUi();

app.Run();
return 0;

/// <summary>Visible to the test host.</summary>
public partial class Program;
