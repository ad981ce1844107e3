#pragma once

#include "dsp/Matrix.h"
#include "render/ColorMap.h"
#include "widgets/common/CsvExportable.h"
#include "widgets/explain/AttentionModel.h"

#include <QWidget>

#include <span>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;

namespace twb {

class AttentionGrid;
class AttentionInputOverlay;
class AttentionMapView;

/// The attention explorer: the layers × heads grid (AttentionGrid) left, the chosen map large
/// (AttentionMapView) and what the chosen query token attends to on the input
/// (AttentionInputOverlay) right, with controls above: mode (head / head average / layer
/// average / rollout), layer (by name: "encoder layer 1", "decoder layer 0 cross-attention")
/// and head (kept in sync with the grid), query token (also set by a click on a row of the
/// large map), colour map, colour scale (per-map maximum or 0..1) and the channel drawn under
/// the series.
///
/// Each map is drawn with its own tokens: a distilled layer's, or for cross-attention the
/// decoder's tokens as rows and the encoder's as columns; the query box lists the shown map's
/// queries and the overlay shades its keys. Layer average and rollout combine only the leading
/// layers over the input tokens and say so in their title (or why they are unavailable).
///
/// setAttention() returns at once; averages and rollout arrive from the model's worker thread
/// and are shown when they do (their thumbnails and maps say "computing" until then).
/// csvTable() is the large map (token labels as header and first column), so ViewExporter
/// saves PNG, SVG and CSV. Threading: GUI thread only.
class AttentionExplorer : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    explicit AttentionExplorer(QWidget *parent = nullptr);
    ~AttentionExplorer() override;

    /// Shows `set`: e.g. the file `twb-cli attention` wrote, read by whoever owns the files
    /// (the view reads none).
    void setAttention(explain::AttentionSet set);
    /// Shows no attention but `message` in the large map's place (why there is none: e.g.
    /// "autoformer has no attention maps: its mechanism ... forward-pass view"); setAttention()
    /// clears it.
    void showMessage(const QString &message);
    /// The sample's input window: [length, channels] row-major values (see
    /// AttentionInputOverlay::setInputSeries).
    void setInputSeries(std::vector<float> values, int length, int channels,
                        const QStringList &channelNames = {});
    /// The sample's spectrogram as [bins, frames] (the features the audio model saw).
    void setInputSpectrogram(const dsp::FloatMatrix &binsByFrames);
    /// The sample's input is a sound at `sampleRate` Hz (a separation model's mixture): its
    /// spectrogram is drawn under the time tokens (AttentionInputOverlay::setInputSound).
    void setInputSound(std::span<const float> samples, double sampleRate);

    AttentionSelection selection() const { return m_selection; }
    /// Clamped to the set; updates the grid, the controls, the map and the overlay.
    void setSelection(const AttentionSelection &selection);
    /// The query token: an index into the shown map's queries.
    int query() const { return m_query; }
    void setQuery(int query);
    /// True when the shown map's queries are the model's input tokens (not a distilled layer's
    /// or the decoder's): query() is then an input token index (what-if masks it).
    bool queryIsInputToken() const;
    void setColorMap(ColorMapKind kind);

    /// Blocks until averages and rollout are computed and shown (tests, benchmarks, exports).
    void waitForDerived();

    AttentionModel *model() const { return m_model; }
    AttentionGrid *grid() const { return m_grid; }
    AttentionMapView *mapView() const { return m_mapView; }
    AttentionInputOverlay *overlay() const { return m_overlay; }
    QComboBox *modeBox() const { return m_mode; }
    /// The layer chooser: one entry per layer, its name.
    QComboBox *layerBox() const { return m_layer; }
    QSpinBox *headBox() const { return m_head; }
    QComboBox *queryBox() const { return m_queryBox; }

    CsvTable csvTable() const override;

    QSize sizeHint() const override { return {1280, 800}; }

Q_SIGNALS:
    void selectionChanged();
    void queryChanged(int query);

private:
    void onAttentionChanged();
    void onDerivedArrived();
    void onGridSelected(int layer, int head);
    void onControlsChanged();
    void refresh();
    void syncControls();
    void syncTokens();

    AttentionModel *m_model = nullptr;
    AttentionGrid *m_grid = nullptr;
    AttentionMapView *m_mapView = nullptr;
    AttentionInputOverlay *m_overlay = nullptr;
    QComboBox *m_mode = nullptr;
    QComboBox *m_layer = nullptr;
    QSpinBox *m_head = nullptr;
    QComboBox *m_queryBox = nullptr;
    QComboBox *m_colorMapBox = nullptr;
    QCheckBox *m_fixedScale = nullptr;
    QComboBox *m_channelBox = nullptr;
    QLabel *m_info = nullptr;
    AttentionSelection m_selection;
    int m_query = 0;
    int m_tokenSource = -2; // AttentionModel::tokenSource of the axes shown; -2: none yet
};

} // namespace twb
