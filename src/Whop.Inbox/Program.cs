using Whop.Inbox;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Components;
using Whop.Inbox.Data;
using Whop.Inbox.DirectMessages;
using Whop.Inbox.Embedding;
using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Support;
using Whop.Inbox.Team;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.AddInboxData();
builder.AddInboxIdentity();
builder.AddInboxHealth();
builder.AddInboxApi();
builder.AddTeam();
builder.AddAudit();
builder.AddMessaging();
builder.AddSupport();
builder.AddDirectMessages();
builder.AddEmbedding();
builder.AddInboxUi();

var app = builder.Build();

app.UseInboxErrorHandling();
app.UseSecurityHeaders();
app.UseEmbedFraming();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();

app.MapInboxHealth();
app.MapMemoryDiagnostics();
app.MapInboxApi();
app.MapChatHub();
app.MapEmbedding();
app.MapInboxUi();

app.Run();

/// <summary>Visible to the test host.</summary>
public partial class Program;
