package app

import (
	"github.com/jmoiron/sqlx"

	"htxmarket/internal/cooperative"
	"htxmarket/internal/identity"
	"htxmarket/internal/platform/config"
	"htxmarket/internal/platform/geo"
	"htxmarket/internal/platform/jobs"
	"htxmarket/internal/platform/outbox"
)

// SourcingWorkerForTest gives tests outside the package the worker's
// sourcing consumer and job.
func SourcingWorkerForTest(cfg config.Config, d *sqlx.DB, ids *identity.Service, coops *cooperative.Service) (outbox.Consumer, jobs.Job) {
	return sourcingWorker(cfg, d, ids, coops, geo.NewService(geo.NewStore(d)))
}
