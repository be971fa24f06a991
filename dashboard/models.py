"""The Secretariat's pages keep no data of their own: invitations are accounts.Invitation."""
