using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WeedGo.Core.Data.Migrations
{
    /// <summary>
    /// The default "AI assistant calls per person" rule (50 an hour) now counts calls to an external AI model (operation
    /// <c>ai-model</c>) instead of every chat message (<c>chat</c>): a customer's message to a provider-backed assistant took
    /// two tokens before (one as a message, one as a model call), and messages to staff counted toward the AI limit. Only a
    /// rule still naming <c>chat</c> is moved (an admin's own change stays).
    /// </summary>
    public partial class RateLimitAiModelOperation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"UPDATE agi_rate_limit_rules SET target = 'ai-model'
WHERE id = '0199a8c0-0000-7000-8000-000000000003' AND target = 'chat';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"UPDATE agi_rate_limit_rules SET target = 'chat'
WHERE id = '0199a8c0-0000-7000-8000-000000000003' AND target = 'ai-model';");
        }
    }
}
