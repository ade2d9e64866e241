using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Whop.Inbox.Audit;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.ApiKeys;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Messaging.Unread;
using Whop.Inbox.Support.Assignment;
using Whop.Inbox.Team;

namespace Whop.Inbox.Data;

// One index per list the app shows, matching its filter and its sort (btree indexes scan both
// directions, so asc and desc share one). Partial indexes keep support and DM rows apart.

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> user)
    {
        user.Property(u => u.Id).HasMaxLength(32);
        user.Property(u => u.Name).HasMaxLength(100);
        user.Property(u => u.ExternalId).HasMaxLength(200);
        user.HasIndex(u => u.ExternalId).IsUnique().HasFilter("external_id IS NOT NULL");
    }
}

internal sealed class CompanyConfiguration : IEntityTypeConfiguration<Company>
{
    public void Configure(EntityTypeBuilder<Company> company)
    {
        company.ToTable("companies");
        company.Property(c => c.Id).HasMaxLength(32);
        company.Property(c => c.Name).HasMaxLength(100);
        company.Ignore(c => c.BusinessHours);
        company.Property<string?>("BusinessTimeZone").HasMaxLength(64);
        company.Property<Support.Reports.WorkingDays?>("BusinessDays");
        company.Property<TimeOnly?>("BusinessStart");
        company.Property<TimeOnly?>("BusinessEnd");
    }
}

internal sealed class TeamMemberConfiguration : IEntityTypeConfiguration<TeamMember>
{
    public void Configure(EntityTypeBuilder<TeamMember> member)
    {
        member.ToTable("team_members");
        member.Property(m => m.Id).HasMaxLength(32);
        member.HasOne<Company>().WithMany().HasForeignKey(m => m.CompanyId).OnDelete(DeleteBehavior.Cascade);
        member.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        member.HasIndex(m => new { m.CompanyId, m.UserId }).IsUnique();
        member.HasIndex(m => m.UserId);
    }
}

internal sealed class ChannelConfiguration : IEntityTypeConfiguration<Channel>
{
    public void Configure(EntityTypeBuilder<Channel> channel)
    {
        channel.ToTable("channels", t =>
        {
            t.HasCheckConstraint("ck_channels_dm_member_cap", $"member_count BETWEEN 0 AND {Channel.MaxDmMembers}");
            t.HasCheckConstraint("ck_channels_support_shape",
                "kind <> 'support' OR (company_id IS NOT NULL AND customer_id IS NOT NULL AND status IS NOT NULL)");
        });
        channel.Property(c => c.Id).HasMaxLength(32);
        channel.Property(c => c.CustomName).HasMaxLength(Channel.MaxCustomNameLength);
        channel.HasOne<Company>().WithMany().HasForeignKey(c => c.CompanyId).OnDelete(DeleteBehavior.Cascade);
        channel.HasOne<User>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Cascade);
        channel.HasOne<User>().WithMany().HasForeignKey(c => c.CreatedById).OnDelete(DeleteBehavior.SetNull);
        channel.HasOne<User>().WithMany().HasForeignKey(c => c.ResolvedById).OnDelete(DeleteBehavior.SetNull);
        channel.HasOne<User>().WithMany().HasForeignKey(c => c.AssigneeId).OnDelete(DeleteBehavior.SetNull);
        channel.Ignore(c => c.IsSupport);
        channel.Ignore(c => c.IsDm);
        channel.Ignore(c => c.IsSnoozed);
        channel.Ignore(c => c.Placement);
        channel.Ignore(c => c.LabelIds);
        channel.Property(c => c.LabelIdList).HasColumnName("label_ids");
        channel.HasMany(c => c.LabelLinks).WithOne().HasForeignKey(l => l.ChannelId).OnDelete(DeleteBehavior.Cascade);
        channel.Navigation(c => c.LabelLinks).HasField("_labelLinks").UsePropertyAccessMode(PropertyAccessMode.Field);
        // Written only by the event log (see ChatEventLog): the status the chat's last event announced.
        channel.Property<SupportStatus?>(Channel.AnnouncedStatusColumn);

        // One support chat per (company, customer): the database decides concurrent creates.
        channel.HasIndex(c => new { c.CompanyId, c.CustomerId }, "ux_channels_support_customer")
            .IsUnique().HasFilter("kind = 'support'");
        // The inbox: a status tab sorted by activity or by creation.
        channel.HasIndex(c => new { c.CompanyId, c.Status, c.LastActivityAt, c.Id }, "ix_channels_support_status_activity")
            .HasFilter("kind = 'support'");
        channel.HasIndex(c => new { c.CompanyId, c.Status, c.CreatedAt, c.Id }, "ix_channels_support_status_created")
            .HasFilter("kind = 'support'");
        // The inbox's "all" tab.
        channel.HasIndex(c => new { c.CompanyId, c.LastActivityAt, c.Id }, "ix_channels_support_activity")
            .HasFilter("kind = 'support'");
        channel.HasIndex(c => new { c.CompanyId, c.CreatedAt, c.Id }, "ix_channels_support_created")
            .HasFilter("kind = 'support'");
        // The assignment views (Mine, Unassigned, someone's): a status tab or all of them, by activity.
        channel.HasIndex(c => new { c.CompanyId, c.AssigneeId, c.Status, c.LastActivityAt, c.Id }, "ix_channels_support_assignee_status_activity")
            .HasFilter("kind = 'support'");
        channel.HasIndex(c => new { c.CompanyId, c.AssigneeId, c.LastActivityAt, c.Id }, "ix_channels_support_assignee_activity")
            .HasFilter("kind = 'support'");
        // The snooze waker: the chats whose wake-up time has come, soonest first (few rows: only the snoozed).
        channel.HasIndex(c => c.SnoozedUntil, "ix_channels_snoozed_until").HasFilter("snoozed_until IS NOT NULL");
        // Sorted by priority (urgent first), then by activity: a status tab, or all of them.
        channel.HasIndex(c => new { c.CompanyId, c.Status, c.Priority, c.LastActivityAt, c.Id }, "ix_channels_support_status_priority_activity")
            .HasFilter("kind = 'support'");
        channel.HasIndex(c => new { c.CompanyId, c.Priority, c.LastActivityAt, c.Id }, "ix_channels_support_priority_activity")
            .HasFilter("kind = 'support'");
        channel.Property(c => c.FirstResponderId).HasMaxLength(32);
        // The report's ranges (Support/Reports): first responses and resolves in a company between two instants.
        channel.HasIndex(c => new { c.CompanyId, c.FirstResponseAt }, "ix_channels_support_first_response")
            .HasFilter("first_response_at IS NOT NULL");
        channel.HasIndex(c => new { c.CompanyId, c.ResolvedAt }, "ix_channels_support_resolved")
            .HasFilter("resolved_at IS NOT NULL");
        // A customer's own support chats (view=customer), across companies.
        channel.HasIndex(c => new { c.CustomerId, c.LastActivityAt, c.Id }, "ix_channels_customer_activity")
            .HasFilter("kind = 'support'");
    }
}

internal sealed class LabelConfiguration : IEntityTypeConfiguration<Support.Labels.Label>
{
    public void Configure(EntityTypeBuilder<Support.Labels.Label> label)
    {
        label.ToTable("labels");
        label.Property(l => l.Id).HasMaxLength(32);
        label.Property(l => l.Name).HasMaxLength(Support.Labels.Label.MaxNameLength);
        label.Property(l => l.NormalizedName).HasMaxLength(Support.Labels.Label.MaxNameLength);
        label.Property(l => l.Color).HasMaxLength(7);
        label.Ignore(l => l.View);
        label.HasOne<Company>().WithMany().HasForeignKey(l => l.CompanyId).OnDelete(DeleteBehavior.Cascade);
        // One name per company whatever its case; the company's labels by name.
        label.HasIndex(l => new { l.CompanyId, l.NormalizedName }).IsUnique();
    }
}

internal sealed class ChatLabelConfiguration : IEntityTypeConfiguration<Support.Labels.ChatLabel>
{
    public void Configure(EntityTypeBuilder<Support.Labels.ChatLabel> link)
    {
        link.ToTable("chat_labels");
        link.HasKey(l => new { l.ChannelId, l.LabelId });
        link.HasOne<Support.Labels.Label>().WithMany().HasForeignKey(l => l.LabelId).OnDelete(DeleteBehavior.Cascade);
        // The label filter (chats with this label) and a label's chats when it is deleted.
        link.HasIndex(l => new { l.LabelId, l.ChannelId });
    }
}

internal sealed class ChannelMemberConfiguration : IEntityTypeConfiguration<ChannelMember>
{
    public void Configure(EntityTypeBuilder<ChannelMember> member)
    {
        member.ToTable("channel_members");
        member.Property(m => m.Id).HasMaxLength(32);
        member.HasOne<Channel>().WithMany().HasForeignKey(m => m.ChannelId).OnDelete(DeleteBehavior.Cascade);
        member.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        member.HasIndex(m => new { m.ChannelId, m.UserId }).IsUnique();
        // A DM's member list, by date added.
        member.HasIndex(m => new { m.ChannelId, m.CreatedAt, m.Id });
        // Everything one user belongs to (their DM list joins channels by activity from here).
        member.HasIndex(m => new { m.UserId, m.ChannelId });
        // The Mentions view and its badge: the few rows where this person was mentioned.
        member.HasIndex(m => new { m.UserId, m.LastMentionedAt }, "ix_channel_members_mentions").HasFilter("last_mentioned_at IS NOT NULL");
    }
}

// The unread tallies: keyed by what the badges read (a company's statuses, and one person's), so that read is a key lookup.
internal sealed class SupportStatusTallyConfiguration : IEntityTypeConfiguration<SupportStatusTally>
{
    public void Configure(EntityTypeBuilder<SupportStatusTally> tally)
    {
        tally.ToTable("support_status_tallies");
        tally.HasKey(t => new { t.CompanyId, t.Status });
        tally.HasOne<Company>().WithMany().HasForeignKey(t => t.CompanyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SupportReadTallyConfiguration : IEntityTypeConfiguration<SupportReadTally>
{
    public void Configure(EntityTypeBuilder<SupportReadTally> tally)
    {
        tally.ToTable("support_read_tallies");
        tally.HasKey(t => new { t.UserId, t.CompanyId, t.Status });
        tally.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        tally.HasOne<Company>().WithMany().HasForeignKey(t => t.CompanyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SupportAssigneeTallyConfiguration : IEntityTypeConfiguration<SupportAssigneeTally>
{
    public void Configure(EntityTypeBuilder<SupportAssigneeTally> tally)
    {
        tally.ToTable("support_assignee_tallies");
        tally.HasKey(t => new { t.CompanyId, t.AssigneeId, t.Status });
        tally.HasOne<Company>().WithMany().HasForeignKey(t => t.CompanyId).OnDelete(DeleteBehavior.Cascade);
        tally.HasOne<User>().WithMany().HasForeignKey(t => t.AssigneeId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PresenceConfiguration : IEntityTypeConfiguration<PresenceRecord>
{
    public void Configure(EntityTypeBuilder<PresenceRecord> presence)
    {
        presence.ToTable("presence");
        presence.HasKey(p => new { p.UserId, p.InstanceId });
        presence.Property(p => p.InstanceId).HasMaxLength(32);
        presence.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        // "Who is online": the rows renewed lately.
        presence.HasIndex(p => p.SeenAt);
    }
}

internal sealed class SavedReplyConfiguration : IEntityTypeConfiguration<Support.SavedReplies.SavedReply>
{
    public void Configure(EntityTypeBuilder<Support.SavedReplies.SavedReply> reply)
    {
        reply.ToTable("saved_replies");
        reply.Property(r => r.Id).HasMaxLength(32);
        reply.Property(r => r.CompanyId).HasMaxLength(32);
        reply.Property(r => r.OwnerId).HasMaxLength(32);
        reply.Property(r => r.Name).HasMaxLength(Support.SavedReplies.SavedReply.MaxNameLength);
        reply.Property(r => r.SortKey).HasMaxLength(Support.SavedReplies.SavedReply.MaxNameLength);
        reply.Property(r => r.Content).HasMaxLength(Support.SavedReplies.SavedReply.ContentLimit);
        reply.Ignore(r => r.Shared);
        reply.HasOne<Company>().WithMany().HasForeignKey(r => r.CompanyId).OnDelete(DeleteBehavior.Cascade);
        // A personal reply goes with its owner; a shared one outlives whoever wrote it.
        reply.HasOne<User>().WithMany().HasForeignKey(r => r.OwnerId).OnDelete(DeleteBehavior.Cascade);
        reply.HasOne<User>().WithMany().HasForeignKey(r => r.CreatedById).OnDelete(DeleteBehavior.SetNull);
        // The list: a company's shared replies (owner_id IS NULL) and one person's, each walked by name.
        reply.HasIndex(r => new { r.CompanyId, r.OwnerId, r.SortKey, r.Id });
        reply.HasIndex(r => r.OwnerId).HasFilter("owner_id IS NOT NULL");
    }
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<Webhooks.WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<Webhooks.WebhookEndpoint> endpoint)
    {
        endpoint.ToTable("webhook_endpoints");
        endpoint.Property(e => e.Id).HasMaxLength(32);
        endpoint.Property(e => e.Url).HasMaxLength(Webhooks.WebhookEndpoint.MaxUrlLength);
        endpoint.Property(e => e.Topics).HasMaxLength(1000);
        endpoint.Property(e => e.DisabledReason).HasMaxLength(200);
        endpoint.Ignore(e => e.TopicList);
        endpoint.HasOne<Company>().WithMany().HasForeignKey(e => e.CompanyId).OnDelete(DeleteBehavior.Cascade);
        endpoint.HasOne<User>().WithMany().HasForeignKey(e => e.CreatedById).OnDelete(DeleteBehavior.SetNull);
        // The outbox's lookup on every change of a company that has endpoints.
        endpoint.HasIndex(e => new { e.CompanyId, e.Enabled });
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<Webhooks.WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<Webhooks.WebhookDelivery> delivery)
    {
        delivery.ToTable("webhook_deliveries");
        delivery.Property(d => d.Id).HasMaxLength(64);
        delivery.Property(d => d.Topic).HasMaxLength(64);
        delivery.HasOne<Webhooks.WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
        // What is due, soonest first; and what holds a conversation's later deliveries back.
        delivery.HasIndex(d => new { d.State, d.NextAttemptAt }).HasFilter("state = 'pending'");
        delivery.HasIndex(d => new { d.EndpointId, d.ChannelId, d.Position }).HasFilter("state = 'pending'");
        delivery.HasIndex(d => d.CreatedAt);
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<Webhooks.WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<Webhooks.WebhookAttempt> attempt)
    {
        attempt.ToTable("webhook_attempts");
        attempt.Property(a => a.Id).HasMaxLength(32);
        attempt.Property(a => a.DeliveryId).HasMaxLength(64);
        attempt.Property(a => a.Topic).HasMaxLength(64);
        attempt.Property(a => a.Error).HasMaxLength(Webhooks.WebhookAttempt.ExcerptLength);
        attempt.Property(a => a.ResponseExcerpt).HasMaxLength(Webhooks.WebhookAttempt.ExcerptLength);
        attempt.Ignore(a => a.Succeeded);
        attempt.HasOne<Webhooks.WebhookEndpoint>().WithMany().HasForeignKey(a => a.EndpointId).OnDelete(DeleteBehavior.Cascade);
        attempt.HasOne<Webhooks.WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        // The log, newest first; and the pruner's cut by age.
        attempt.HasIndex(a => new { a.EndpointId, a.At, a.Id });
        attempt.HasIndex(a => a.At);
    }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> message)
    {
        message.ToTable("messages");
        message.Property(m => m.Id).HasMaxLength(32);
        message.Property(m => m.Content).HasMaxLength(Message.MaxContentLength);
        message.HasOne<Channel>().WithMany().HasForeignKey(m => m.ChannelId).OnDelete(DeleteBehavior.Cascade);
        message.HasOne<User>().WithMany().HasForeignKey(m => m.AuthorId).OnDelete(DeleteBehavior.Restrict);
        message.HasOne<Message>().WithMany().HasForeignKey(m => m.ReplyingToMessageId).OnDelete(DeleteBehavior.SetNull);
        message.Ignore(m => m.IsDeleted);
        message.Ignore(m => m.IsNote);
        // Rows written before notes existed are everyone's.
        message.Property(m => m.Visibility).HasDefaultValue(MessageVisibility.Everyone);
        // A conversation's history, paged both ways by creation time.
        message.HasIndex(m => new { m.ChannelId, m.CreatedAt, m.Id });
        message.HasIndex(m => m.ReplyingToMessageId).HasFilter("replying_to_message_id IS NOT NULL");
        // Search's from: operator, newest first.
        message.HasIndex(m => new { m.AuthorId, m.CreatedAt });
        message.Property(m => m.ClientMessageId).HasMaxLength(Message.MaxClientMessageIdLength);
        // A sender's retry finds its first attempt; the database refuses a second message with the key.
        message.HasIndex(m => new { m.ChannelId, m.AuthorId, m.ClientMessageId }).IsUnique().HasFilter("client_message_id IS NOT NULL");
    }
}

internal sealed class PollVoteConfiguration : IEntityTypeConfiguration<Messaging.Polls.PollVote>
{
    public void Configure(EntityTypeBuilder<Messaging.Polls.PollVote> vote)
    {
        vote.ToTable("poll_votes");
        vote.Property(v => v.Id).HasMaxLength(32);
        vote.Property(v => v.OptionId).HasMaxLength(2);
        vote.HasOne<Message>().WithMany().HasForeignKey(v => v.MessageId).OnDelete(DeleteBehavior.Cascade);
        vote.HasOne<User>().WithMany().HasForeignKey(v => v.UserId).OnDelete(DeleteBehavior.Cascade);
        // One vote per person per poll: the database holds the rule too.
        vote.HasIndex(v => new { v.MessageId, v.UserId }).IsUnique();
    }
}

internal sealed class StoredFileConfiguration : IEntityTypeConfiguration<Files.StoredFile>
{
    public void Configure(EntityTypeBuilder<Files.StoredFile> file)
    {
        file.ToTable("files");
        file.Property(f => f.Id).HasMaxLength(32);
        file.Property(f => f.CompanyId).HasMaxLength(32);
        file.Property(f => f.Filename).HasMaxLength(Files.StoredFile.MaxFilenameLength);
        file.Property(f => f.ContentType).HasMaxLength(Files.StoredFile.MaxContentTypeLength);
        file.Property(f => f.Sha256).HasMaxLength(64);
        file.Property(f => f.MessageId).HasMaxLength(32);
        file.Ignore(f => f.IsImage);
        file.HasOne<User>().WithMany().HasForeignKey(f => f.UploaderId).OnDelete(DeleteBehavior.Cascade);
        // No foreign key to the message: a message's files are attached in its own transaction before the
        // message row is written, and deleting it is soft; the sweeper removes files whose message is gone.
        // A message page's files in one query; the sweeper's two cuts.
        file.HasIndex(f => f.MessageId);
        file.HasIndex(f => f.CreatedAt).HasFilter("message_id IS NULL");
    }
}

internal sealed class FileChunkConfiguration : IEntityTypeConfiguration<Files.FileChunk>
{
    public void Configure(EntityTypeBuilder<Files.FileChunk> chunk)
    {
        chunk.ToTable("file_chunks");
        chunk.HasKey(c => new { c.FileId, c.Seq });
        chunk.HasOne<Files.StoredFile>().WithMany().HasForeignKey(c => c.FileId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ChannelEventConfiguration : IEntityTypeConfiguration<ChannelEventRecord>
{
    public void Configure(EntityTypeBuilder<ChannelEventRecord> evt)
    {
        evt.ToTable("channel_events");
        // Catch-up reads one channel's events after a position: the key is that index.
        evt.HasKey(e => new { e.ChannelId, e.Position });
        evt.Property(e => e.Type).HasMaxLength(32);
        // A deleted DM takes its log with it.
        evt.HasOne<Channel>().WithMany().HasForeignKey(e => e.ChannelId).OnDelete(DeleteBehavior.Cascade);
        // The pruner finds what is past the retention period by age.
        evt.HasIndex(e => e.CreatedAt, "ix_channel_events_created_at");
    }
}

internal sealed class ReactionConfiguration : IEntityTypeConfiguration<Reaction>
{
    public void Configure(EntityTypeBuilder<Reaction> reaction)
    {
        reaction.ToTable("reactions");
        reaction.Property(r => r.Id).HasMaxLength(32);
        reaction.Property(r => r.Emoji).HasMaxLength(Reaction.MaxEmojiLength);
        reaction.HasOne<Message>().WithMany().HasForeignKey(r => r.MessageId).OnDelete(DeleteBehavior.Cascade);
        reaction.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        reaction.HasIndex(r => new { r.MessageId, r.UserId, r.Emoji }).IsUnique();
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> key)
    {
        key.ToTable("api_keys");
        key.Property(k => k.Id).HasMaxLength(32);
        key.Property(k => k.Name).HasMaxLength(100);
        key.Property(k => k.Lookup).HasMaxLength(32);
        key.HasOne<Company>().WithMany().HasForeignKey(k => k.CompanyId).OnDelete(DeleteBehavior.Cascade);
        key.HasOne<User>().WithMany().HasForeignKey(k => k.CreatedById).OnDelete(DeleteBehavior.SetNull);
        key.Ignore(k => k.IsRevoked);
        key.Ignore(k => k.DisplayPrefix);
        key.HasIndex(k => k.Lookup).IsUnique();
        key.HasIndex(k => new { k.CompanyId, k.CreatedAt });
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.ToTable("audit_entries");
        entry.Property(e => e.Id).HasMaxLength(32);
        entry.Property(e => e.Action).HasMaxLength(64);
        entry.Property(e => e.Detail).HasMaxLength(500);
        // The trail newest first, whole or for one chat, actor or action.
        entry.HasIndex(e => new { e.CompanyId, e.CreatedAt, e.Id });
        entry.HasIndex(e => new { e.ChannelId, e.CreatedAt }).HasFilter("channel_id IS NOT NULL");
        entry.HasIndex(e => new { e.ActorUserId, e.CreatedAt }).HasFilter("actor_user_id IS NOT NULL");
        // Whose users a company may see: the users it synced itself (UserDirectory).
        entry.HasIndex(e => new { e.TargetUserId, e.Action, e.CompanyId }).HasFilter("target_user_id IS NOT NULL");
    }
}

/// <summary>The framework's Data Protection key ring, in the table the app's own store used before, so old keys still open cookies.</summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> key)
    {
        key.ToTable("data_protection_keys");
        key.Property(k => k.Xml).IsRequired();
    }
}
